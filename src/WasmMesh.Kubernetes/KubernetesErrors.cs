using System.Net;
using System.Text.Json;
using k8s.Autorest;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>Maps failed KubernetesClient calls to <see cref="KubernetesApiException"/> (not found, conflict, gone, …).</summary>
internal static class KubernetesErrors
{
    /// <summary>The typed exception for a failed <c>IKubernetes</c> call.</summary>
    public static KubernetesApiException Map(HttpOperationException exception, string method, string path)
    {
        var code = exception.Response?.StatusCode ?? HttpStatusCode.InternalServerError;
        return new KubernetesApiException(code, ParseStatus(code, exception.Response?.Content), method, path);
    }

    /// <summary>The parsed <c>Status</c> body of an error response; a synthetic one when the body is not a Status.</summary>
    public static V1Status? ParseStatus(HttpStatusCode code, string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return new V1Status { Status = "Failure", Code = (int)code, Reason = code.ToString() };
        }

        if (body[0] != '{')
        {
            return new V1Status { Status = "Failure", Code = (int)code, Reason = code.ToString(), Message = body.Length <= 512 ? body.Trim() : body[..512].Trim() };
        }

        try
        {
            return JsonSerializer.Deserialize(body, KubernetesJsonContext.Default.V1Status);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The HTTP status a watch ERROR event's Status stands for.</summary>
    public static HttpStatusCode StatusCodeOf(V1Status status) =>
        status.Code is > 0 ? (HttpStatusCode)status.Code.Value : HttpStatusCode.InternalServerError;

    /// <summary>Runs one call, mapping its <see cref="HttpOperationException"/>.</summary>
    public static async Task<TResult> CallAsync<TResult>(Func<Task<TResult>> call, string method, string path)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw Map(ex, method, path);
        }
    }
}
