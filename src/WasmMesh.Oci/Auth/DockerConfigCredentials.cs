using System.Collections.Frozen;
using System.Text.Json;

namespace WasmMesh.Oci;

/// <summary>
/// Credentials read from a docker-style <c>config.json</c> or a Kubernetes <c>kubernetes.io/dockerconfigjson</c>
/// secret payload (key <c>.dockerconfigjson</c>; the legacy <c>.dockercfg</c> shape without <c>auths</c> is read too).
/// </summary>
/// <remarks>
/// Each <c>auths.&lt;host&gt;</c> entry is read from <c>auth</c> (base64 of <c>user:password</c>) or from
/// <c>username</c>/<c>password</c>. Keys may be written as URLs (<c>https://index.docker.io/v1/</c>); lookups
/// compare the host and port only. Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) are not run.
/// </remarks>
public sealed class DockerConfigCredentials : IRegistryCredentialProvider
{
    private readonly FrozenDictionary<string, RegistryCredentials> _byRegistry;

    private DockerConfigCredentials(Dictionary<string, RegistryCredentials> byRegistry)
    {
        _byRegistry = byRegistry.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An empty set: every registry is accessed anonymously.</summary>
    public static DockerConfigCredentials Empty { get; } = new([]);

    /// <summary>The registries that have credentials, normalised (host and port).</summary>
    public IReadOnlyCollection<string> Registries => _byRegistry.Keys;

    /// <summary>
    /// The path of docker's config file: <c>$DOCKER_CONFIG/config.json</c> when <c>DOCKER_CONFIG</c> is set, else
    /// <c>~/.docker/config.json</c>.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
            if (string.IsNullOrEmpty(dir))
            {
                dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            }

            return Path.Combine(dir, "config.json");
        }
    }

    /// <summary>Parses a docker <c>config.json</c> or a Kubernetes <c>.dockerconfigjson</c> payload.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The credentials it holds.</returns>
    /// <exception cref="FormatException">The text is not JSON of that shape; the message says where (never the secret).</exception>
    public static DockerConfigCredentials FromDockerConfigJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"docker config is not valid JSON (line {e.LineNumber + 1}): fix the file or secret", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("docker config must be a JSON object with an 'auths' object");
            }

            var auths = document.RootElement.TryGetProperty("auths", out var a) ? a : document.RootElement;
            if (auths.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("docker config 'auths' must be an object keyed by registry host");
            }

            var result = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in auths.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var credentials = ReadEntry(entry.Name, entry.Value);
                if (credentials is not null)
                {
                    result[NormalizeRegistry(entry.Name)] = credentials;
                }
            }

            return new DockerConfigCredentials(result);
        }
    }

    /// <summary>Reads a docker config file; a missing file gives <see cref="Empty"/>.</summary>
    /// <param name="path">The file; <see langword="null"/> for <see cref="DefaultPath"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The credentials it holds.</returns>
    public static async Task<DockerConfigCredentials> LoadAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            return Empty;
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return FromDockerConfigJson(json);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Finds the credentials for a registry.</summary>
    /// <param name="registry">The registry host (with port), as in a reference; URLs are accepted too.</param>
    /// <returns>The credentials, or <see langword="null"/>.</returns>
    public RegistryCredentials? Find(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return _byRegistry.TryGetValue(NormalizeRegistry(registry), out var credentials) ? credentials : null;
    }

    /// <inheritdoc />
    public ValueTask<RegistryCredentials?> GetCredentialsAsync(string registry, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Find(registry));

    /// <summary>
    /// Normalises a registry key: drops a scheme and a path, lowercases, and maps Docker Hub's aliases
    /// (<c>index.docker.io</c>, <c>registry-1.docker.io</c>) to <c>docker.io</c>.
    /// </summary>
    /// <param name="registry">A host, host:port or URL.</param>
    /// <returns>The normalised key.</returns>
    public static string NormalizeRegistry(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var key = registry.Trim();
        var scheme = key.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            key = key[(scheme + 3)..];
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            key = key[..slash];
        }

        key = key.ToLowerInvariant();
        return key is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? ImageReference.DockerHubRegistry : key;
    }

    private static RegistryCredentials? ReadEntry(string name, JsonElement entry)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(auth.GetString()))
        {
            if (RegistryCredentials.TryFromBasicAuth(auth.GetString(), out var decoded))
            {
                return decoded;
            }

            throw new FormatException($"docker config auths.{name}.auth is not base64 of user:password");
        }

        var user = entry.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var password = entry.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return string.IsNullOrEmpty(user) || password is null ? null : new RegistryCredentials(user, password);
    }
}
