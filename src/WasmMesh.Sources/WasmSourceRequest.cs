using System.Security.Cryptography;
using WasmMesh.Oci;

namespace WasmMesh.Sources;

/// <summary>
/// Names where a module comes from: a registry image (with an optional pull secret) or an object URL,
/// optionally pinned to the sha256 of the module bytes. Create one with <see cref="ForRegistry"/> or
/// <see cref="ForObject"/>.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> and <see cref="Description"/> never include the pull secret or a URL's query
/// string or user information, so a request can be logged.
/// </remarks>
public sealed record WasmSourceRequest
{
    private WasmSourceRequest(WasmSourceKind kind, ImageReference? image, Uri? url, ReadOnlyMemory<byte> pullSecret, Digest? expectedSha256)
    {
        Kind = kind;
        Image = image;
        Url = url;
        PullSecret = pullSecret;
        ExpectedSha256 = expectedSha256;
        Description = kind == WasmSourceKind.Registry ? image!.ToString() : RedactUrl(url!);
        SourceKey = BuildSourceKey(kind, image, url, pullSecret, expectedSha256);
    }

    /// <summary>The kind of source.</summary>
    public WasmSourceKind Kind { get; }

    /// <summary>The image, for <see cref="WasmSourceKind.Registry"/>.</summary>
    public ImageReference? Image { get; }

    /// <summary>The URL, for <see cref="WasmSourceKind.Object"/>.</summary>
    public Uri? Url { get; }

    /// <summary>
    /// The registry pull secret: the content of a <c>kubernetes.io/dockerconfigjson</c> secret's
    /// <c>.dockerconfigjson</c> key (or a docker <c>config.json</c>); empty for anonymous pulls.
    /// Never logged.
    /// </summary>
    public ReadOnlyMemory<byte> PullSecret { get; }

    /// <summary>The sha256 the module bytes must have; <see langword="null"/> to accept whatever the source serves.</summary>
    public Digest? ExpectedSha256 { get; }

    /// <summary>The source for people: the image reference, or the URL without query string and user information.</summary>
    public string Description { get; }

    /// <summary>
    /// A stable key for the source: two requests with the same key fetch once when they run concurrently.
    /// It includes a hash of the pull secret (never the secret) and the pin.
    /// </summary>
    public string SourceKey { get; }

    /// <summary>A registry source.</summary>
    /// <param name="image">The image; a tag is resolved to a manifest digest on every call, a digest is used as is.</param>
    /// <param name="pullSecret">The <c>.dockerconfigjson</c> payload of the pull secret, or empty for anonymous pulls.</param>
    /// <param name="expectedSha256">The sha256 the module bytes must have, when known.</param>
    /// <returns>The request.</returns>
    public static WasmSourceRequest ForRegistry(ImageReference image, ReadOnlyMemory<byte> pullSecret = default, Digest? expectedSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ValidatePin(expectedSha256);
        return new WasmSourceRequest(WasmSourceKind.Registry, image, null, pullSecret, expectedSha256);
    }

    /// <summary>An object source: a public http or https URL serving the module bytes.</summary>
    /// <param name="url">The absolute http or https URL.</param>
    /// <param name="expectedSha256">The sha256 the module bytes must have, when known.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The URL is not an absolute http or https URL.</exception>
    public static WasmSourceRequest ForObject(Uri url, Digest? expectedSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"object source URL '{(url.IsAbsoluteUri ? RedactUrl(url) : "(relative)")}' must be an absolute http:// or https:// URL", nameof(url));
        }

        ValidatePin(expectedSha256);
        return new WasmSourceRequest(WasmSourceKind.Object, null, url, default, expectedSha256);
    }

    /// <summary>Returns a copy pinned to the given sha256 of the module bytes.</summary>
    /// <param name="sha256">The sha256 the module bytes must have.</param>
    /// <returns>The pinned request.</returns>
    public WasmSourceRequest WithExpectedSha256(Digest sha256)
    {
        ValidatePin(sha256);
        return new WasmSourceRequest(Kind, Image, Url, PullSecret, sha256);
    }

    /// <summary>
    /// The credentials the pull secret holds for the image's registry, for calls to that registry beside the fetch (e.g.
    /// reading its signatures); <see langword="null"/> for object sources and anonymous pulls. Never log them.
    /// </summary>
    /// <returns>The credentials, or <see langword="null"/>.</returns>
    /// <exception cref="WasmSourceException">The pull secret is not a valid <c>.dockerconfigjson</c> payload.</exception>
    public RegistryCredentials? GetRegistryCredentials()
        => Kind == WasmSourceKind.Registry ? OciRegistryModuleSource.CredentialsFor(Image!, PullSecret) : null;

    /// <inheritdoc />
    public override string ToString() => ExpectedSha256 is { } pin ? $"{Kind.ToString().ToLowerInvariant()} {Description} (sha256 {pin.Hex})" : $"{Kind.ToString().ToLowerInvariant()} {Description}";

    /// <summary>An URL without query string, fragment or user information, safe to log.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>scheme://host[:port]/path.</returns>
    internal static string RedactUrl(Uri url) =>
        url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative URL)";

    private static void ValidatePin(Digest? pin)
    {
        if (pin is { } digest && (digest.IsEmpty || digest.Algorithm != Digest.Sha256Algorithm))
        {
            throw new ArgumentException($"the expected module digest must be a sha256 digest, got '{digest}'", nameof(pin));
        }
    }

    private static string BuildSourceKey(WasmSourceKind kind, ImageReference? image, Uri? url, ReadOnlyMemory<byte> pullSecret, Digest? pin)
    {
        var key = kind == WasmSourceKind.Registry ? "registry:" + image : "object:" + url!.AbsoluteUri;
        if (!pullSecret.IsEmpty)
        {
            key += "#secret=" + Convert.ToHexStringLower(SHA256.HashData(pullSecret.Span));
        }

        return pin is { } digest ? key + "#pin=" + digest.Hex : key;
    }
}
