using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace WasmMesh;

/// <summary>
/// An OCI image reference: <c>host[:port]/path[:tag][@sha256:…]</c>, with Docker's defaults for bare
/// names (<c>alpine</c> → <c>docker.io/library/alpine:latest</c>).
/// </summary>
/// <remarks>
/// The grammar follows the distribution reference grammar: the first path component is a registry
/// host when it contains a <c>.</c> or a <c>:</c> or is <c>localhost</c>; path components are lowercase
/// alphanumerics separated by <c>.</c>, <c>_</c>, <c>__</c> or dashes; a tag is at most 128 characters
/// of <c>[A-Za-z0-9_.-]</c> not starting with <c>.</c> or <c>-</c>.
/// </remarks>
public sealed partial record ImageReference
{
    /// <summary>Docker Hub's canonical registry name.</summary>
    public const string DockerHubRegistry = "docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The tag used when a reference names neither a tag nor a digest.</summary>
    public const string DefaultTag = "latest";

    private const int MaxNameLength = 255;

    /// <summary>The registry host, with its port when one was given, e.g. <c>127.0.0.1:5000</c>.</summary>
    public required string Registry { get; init; }

    /// <summary>The repository path within the registry, e.g. <c>team/wasm-add-header</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The tag, when one was given (or defaulted to <c>latest</c> because no digest was given).</summary>
    public string? Tag { get; init; }

    /// <summary>The manifest digest, when one was given.</summary>
    public Digest? Digest { get; init; }

    /// <summary>What to ask the registry for: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>The host to connect to: Docker Hub's API host for <c>docker.io</c>, else <see cref="Registry"/>.</summary>
    public string ApiHost => Registry == DockerHubRegistry ? DockerHubApiHost : Registry;

    /// <summary>The host name of <see cref="Registry"/> without its port.</summary>
    public string HostName
    {
        get
        {
            var registry = Registry;
            if (registry.StartsWith('['))
            {
                var end = registry.IndexOf(']', StringComparison.Ordinal);
                return end > 0 ? registry[1..end] : registry;
            }

            var colon = registry.LastIndexOf(':');
            return colon > 0 ? registry[..colon] : registry;
        }
    }

    /// <summary>Whether the registry is on a loopback address (127.0.0.0/8, ::1 or localhost).</summary>
    public bool IsLoopback
    {
        get
        {
            var host = HostName;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address);
        }
    }

    /// <summary>Returns a copy that names the given digest (keeping the tag for display).</summary>
    /// <param name="digest">The manifest digest.</param>
    /// <returns>The pinned reference.</returns>
    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    /// <summary>Parses a reference, applying Docker's defaults.</summary>
    /// <param name="value">The reference text.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="FormatException">The text is not a valid reference; the message says why.</exception>
    public static ImageReference Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var reference, out var error) ? reference : throw new FormatException(error);
    }

    /// <summary>Parses a reference, applying Docker's defaults.</summary>
    /// <param name="value">The reference text.</param>
    /// <param name="reference">The reference, when valid.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference)
        => TryParse(value, out reference, out _);

    /// <summary>Parses a reference, applying Docker's defaults and explaining a failure.</summary>
    /// <param name="value">The reference text.</param>
    /// <param name="reference">The reference, when valid.</param>
    /// <param name="error">Why the text is not valid, when it is not.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "an image reference is required, e.g. registry.example.com/team/filter:v1";
            return false;
        }

        if (value.Trim() != value || value.Any(char.IsWhiteSpace))
        {
            error = $"image reference '{value}' contains white space";
            return false;
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            error = $"image reference '{value}' must not have a scheme: write host/path:tag, e.g. registry.example.com/team/filter:v1";
            return false;
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!WasmMesh.Digest.TryParse(rest[(at + 1)..], out var parsed, out var digestError))
            {
                error = $"image reference '{value}' has an invalid digest: {digestError}";
                return false;
            }

            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"image reference '{value}' has an invalid tag '{tag}': use up to 128 of A-Z a-z 0-9 _ . - not starting with . or -";
                return false;
            }
        }

        if (rest.Length == 0)
        {
            error = $"image reference '{value}' has no repository name";
            return false;
        }

        string registry;
        string repository;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash < 0 ? rest : rest[..firstSlash];
        if (firstSlash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsUpper)))
        {
            registry = first;
            repository = rest[(firstSlash + 1)..];
            if (!HostPattern().IsMatch(registry))
            {
                error = $"image reference '{value}' has an invalid registry host '{registry}'";
                return false;
            }
        }
        else
        {
            registry = DockerHubRegistry;
            repository = rest;
        }

        if (registry is "index.docker.io" or DockerHubApiHost)
        {
            registry = DockerHubRegistry;
        }

        if (registry == DockerHubRegistry && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (repository.Length == 0)
        {
            error = $"image reference '{value}' has no repository name after the registry host";
            return false;
        }

        if (repository.Any(char.IsUpper))
        {
            error = $"image reference '{value}': repository '{repository}' must be lowercase";
            return false;
        }

        foreach (var component in repository.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
            {
                error = $"image reference '{value}': path component '{component}' is invalid (lowercase letters and digits separated by . _ __ or -)";
                return false;
            }
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            error = $"image reference '{value}' is longer than {MaxNameLength} characters before its tag";
            return false;
        }

        reference = new ImageReference
        {
            Registry = registry,
            Repository = repository,
            Tag = tag ?? (digest is null ? DefaultTag : null),
            Digest = digest,
        };
        error = null;
        return true;
    }

    /// <summary>The canonical text: <c>registry/repository[:tag][@digest]</c>.</summary>
    /// <returns>The reference text.</returns>
    public override string ToString()
    {
        var text = $"{Registry}/{Repository}";
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is { } digest)
        {
            text += "@" + digest;
        }

        return text;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
