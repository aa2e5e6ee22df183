using System.Net;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>
/// The Kubernetes API answered with an error (or a watch stream carried an ERROR event). Carries the HTTP status,
/// the parsed <c>Status</c> body and the request method and path (never the query string).
/// </summary>
public sealed class KubernetesApiException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status code (or the Status <c>code</c> of a watch ERROR event).</param>
    /// <param name="status">The parsed Status body, when there was one.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, without the query string.</param>
    public KubernetesApiException(HttpStatusCode statusCode, V1Status? status, string method, string path)
        : base(BuildMessage(statusCode, status, method, path))
    {
        StatusCode = statusCode;
        Status = status;
        Method = method;
        Path = path;
    }

    /// <summary>
    /// The typed exception for a failed KubernetesClient (<c>IKubernetes</c>) call: the status code and the parsed
    /// <c>Status</c> body of <paramref name="exception"/>'s response.
    /// </summary>
    /// <param name="exception">What KubernetesClient threw.</param>
    /// <param name="method">The HTTP method, for the message.</param>
    /// <param name="path">The request path (no query string), for the message.</param>
    /// <returns>The exception to throw.</returns>
    public static KubernetesApiException From(k8s.Autorest.HttpOperationException exception, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return KubernetesErrors.Map(exception, method, path);
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The parsed <c>Status</c> body, or null when the server sent none.</summary>
    public V1Status? Status { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The path of the failed request (no query string).</summary>
    public string Path { get; }

    /// <summary>The Status <c>reason</c>, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>AlreadyExists</c>, <c>Expired</c>.</summary>
    public string? Reason => Status?.Reason;

    /// <summary>404: the object (or resource type) does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>409 with reason <c>Conflict</c>: a stale resource version, a failed precondition or a field-manager conflict.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason != "AlreadyExists";

    /// <summary>409 with reason <c>AlreadyExists</c>: create of an object that exists.</summary>
    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>410: the requested resource version is too old (relist, then watch again).</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";

    /// <summary>422: the object failed validation.</summary>
    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;

    /// <summary>401: the credentials were rejected.</summary>
    public bool IsUnauthorized => StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>403: the credentials lack permission.</summary>
    public bool IsForbidden => StatusCode == HttpStatusCode.Forbidden;

    private static string BuildMessage(HttpStatusCode statusCode, V1Status? status, string method, string path)
    {
        var reason = status?.Reason is { Length: > 0 } r ? r : statusCode.ToString();
        var detail = status?.Message is { Length: > 0 } m ? m : "the server returned no Status message";
        var hint = statusCode switch
        {
            HttpStatusCode.Unauthorized => " Check the credentials of the kubeconfig context or service account.",
            HttpStatusCode.Forbidden => " Grant the identity RBAC permission for this verb and resource.",
            HttpStatusCode.Conflict when status?.Reason != "AlreadyExists" => " Read the object again and retry with its current resourceVersion.",
            HttpStatusCode.Gone => " List again and watch from the new resourceVersion.",
            _ => string.Empty,
        };
        return $"Kubernetes API {method} {path} failed with {(int)statusCode} {reason}: {detail}.{hint}";
    }
}
