using System.Text.Json;
using System.Text.Json.Nodes;

namespace WasmMesh.Oci;

/// <summary>
/// Edits a docker-style <c>config.json</c> the way <c>docker login</c>/<c>docker logout</c> do: only
/// <c>auths.&lt;registry&gt;</c> changes, every other field is kept, and the file is replaced atomically with
/// mode 0600.
/// </summary>
public sealed class DockerConfigFile
{
    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The file path.</summary>
    public string Path { get; }

    /// <summary>Reads the file, or starts an empty one when it does not exist.</summary>
    /// <param name="path">The file; <see langword="null"/> for <see cref="DockerConfigCredentials.DefaultPath"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The editable file.</returns>
    /// <exception cref="FormatException">The file exists but is not a JSON object.</exception>
    public static async Task<DockerConfigFile> LoadAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        path ??= DockerConfigCredentials.DefaultPath;
        if (!File.Exists(path))
        {
            return new DockerConfigFile(path, []);
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) is JsonObject root
                ? new DockerConfigFile(path, root)
                : throw new FormatException($"{path} is not a JSON object; fix or remove it");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid JSON (line {e.LineNumber + 1}); fix or remove it", e);
        }
    }

    /// <summary>Stores credentials for a registry as <c>auths.&lt;registry&gt;.auth</c>.</summary>
    /// <param name="registry">The registry host (with port).</param>
    /// <param name="credentials">The credentials.</param>
    public void SetCredentials(string registry, RegistryCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var key = KeyFor(registry);
        RemoveCredentials(registry);
        Auths()[key] = new JsonObject { ["auth"] = credentials.ToBasicAuth() };
    }

    /// <summary>Removes the credentials for a registry (every key that normalises to it).</summary>
    /// <param name="registry">The registry host (with port).</param>
    /// <returns>Whether anything was removed.</returns>
    public bool RemoveCredentials(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (_root["auths"] is not JsonObject auths)
        {
            return false;
        }

        var normalized = DockerConfigCredentials.NormalizeRegistry(registry);
        var keys = auths.Select(p => p.Key).Where(k => DockerConfigCredentials.NormalizeRegistry(k) == normalized).ToList();
        foreach (var key in keys)
        {
            auths.Remove(key);
        }

        return keys.Count > 0;
    }

    /// <summary>The credentials currently in the file.</summary>
    /// <returns>The parsed credentials.</returns>
    public DockerConfigCredentials ToCredentials() => DockerConfigCredentials.FromDockerConfigJson(_root.ToJsonString());

    /// <summary>Writes the file atomically (temporary file then rename), readable by its owner only.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is replaced.</returns>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, $".config.json.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                await using (writer.ConfigureAwait(false))
                {
                    _root.WriteTo(writer);
                }

                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static string KeyFor(string registry)
    {
        var normalized = DockerConfigCredentials.NormalizeRegistry(registry);
        return normalized == ImageReference.DockerHubRegistry ? "https://index.docker.io/v1/" : normalized;
    }

    private JsonObject Auths()
    {
        if (_root["auths"] is JsonObject auths)
        {
            return auths;
        }

        auths = [];
        _root["auths"] = auths;
        return auths;
    }
}
