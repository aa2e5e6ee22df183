using System.Net;

namespace WasmMesh.Oci;

/// <summary>
/// A registry answered a request with an error status. Carries the status, the method, the URL (without
/// its query string) and the <c>errors[]</c> the registry sent.
/// </summary>
public sealed class RegistryException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The request URL; its query string is dropped.</param>
    /// <param name="errors">The parsed <c>errors[]</c>, possibly empty.</param>
    /// <param name="hint">What the user can do, appended to the message.</param>
    public RegistryException(HttpStatusCode statusCode, string method, Uri uri, IReadOnlyList<RegistryError> errors, string? hint = null)
        : base(BuildMessage(statusCode, method, uri, errors, hint))
    {
        ArgumentNullException.ThrowIfNull(uri);
        StatusCode = statusCode;
        Method = method;
        Uri = StripQuery(uri);
        Errors = errors;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request URL without its query string.</summary>
    public Uri Uri { get; }

    /// <summary>The registry's <c>errors[]</c>.</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>Whether the registry said the manifest, blob or repository does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound
        || Errors.Any(e => e.Code is "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN" or "NAME_UNKNOWN");

    /// <summary>Whether the registry refused the credentials (or their absence).</summary>
    public bool IsAuthenticationFailure => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || Errors.Any(e => e.Code is "UNAUTHORIZED" or "DENIED");

    internal static Uri StripQuery(Uri uri)
        => uri.IsAbsoluteUri && uri.Query.Length > 0 ? new UriBuilder(uri) { Query = string.Empty }.Uri : uri;

    private static string BuildMessage(HttpStatusCode statusCode, string method, Uri uri, IReadOnlyList<RegistryError> errors, string? hint)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var what = statusCode switch
        {
            HttpStatusCode.Unauthorized => "authentication failed",
            HttpStatusCode.Forbidden => "access denied",
            HttpStatusCode.NotFound => "not found",
            _ => "request failed",
        };
        var text = $"{what}: {method} {StripQuery(uri)} returned {(int)statusCode} {statusCode}";
        if (errors.Count > 0)
        {
            text += ": " + string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : $"{e.Code}: {e.Message}"));
        }

        hint ??= statusCode switch
        {
            HttpStatusCode.Unauthorized => "check the user name and password (wasmc login, or the pull secret)",
            HttpStatusCode.Forbidden => "the credentials are valid but lack permission on this repository",
            HttpStatusCode.NotFound => "check the repository name and the tag or digest",
            _ => null,
        };
        return hint is null ? text : $"{text}; {hint}";
    }
}
