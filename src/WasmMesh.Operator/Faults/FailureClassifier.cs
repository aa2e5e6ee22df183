using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using WasmMesh.Kubernetes;
using WasmMesh.Model.Validation;
using WasmMesh.Oci;
using WasmMesh.Sources;

namespace WasmMesh.Operator;

/// <summary>
/// Classifies what a reconcile threw into transient (retry with capped exponential backoff) and permanent (report
/// once, retry only on a spec change or at a slow interval), with a reason and a message that stay the same for the
/// same cause.
/// </summary>
internal static partial class FailureClassifier
{
    // ENOSPC as .NET reports it: the raw errno on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    private const int Enospc = 28;
    private const int ErrorDiskFull = unchecked((int)0x80070070);
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Classifies a failure.</summary>
    /// <param name="exception">What the reconcile threw (not a cancellation of the reconcile itself).</param>
    /// <returns>The classification.</returns>
    public static ReconcileFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case PullSecretException e:
                // Retried with backoff: creating the Secret must fix it without a spec change.
                return new("PullSecretUnavailable", Stable(e.Message), IsTransient: true);
            case DigestMismatchException e:
                return new("DigestMismatch", Stable(e.Message), IsTransient: false);
            case SizeLimitExceededException e:
                return new("ModuleTooLarge", Stable(e.Message), IsTransient: false);
            case InvalidWasmModuleException e:
                return new("InvalidModule", Stable(e.Message), IsTransient: false);
            case SsrfBlockedException e:
                return new("SourceBlocked", Stable(e.Message), IsTransient: false);
            case AutoWasmValidationException e:
                return new("InvalidSpec", Stable(e.Message), IsTransient: false);
            case FormatException or ArgumentException:
                return new("InvalidSpec", Stable(exception.Message), IsTransient: false);
            case WasmSourceException e:
                // A typed cause inside (a mismatch found while streaming) decides over the wrapper.
                if (e.InnerException is { } inner && IsTyped(inner))
                {
                    return Classify(inner);
                }

                return new(SourceReason(e.StatusCode, e.IsTransient), Stable(e.Message), e.IsTransient);
            case RegistryException e:
                var transient = IsTransientStatus(e.StatusCode);
                return new(SourceReason(e.StatusCode, transient), Stable(e.Message), transient);
            case KubernetesApiException e:
                return new("KubernetesApiError", Stable(e.Message), IsTransient: true);
            case IOException e when IsDiskFull(e):
                return new("DiskFull", "the module cache's volume is full (ENOSPC); free space or enlarge the volume; retrying with backoff", IsTransient: true);
            case OperationCanceledException or TimeoutException:
                return new("Timeout", Stable(exception.Message), IsTransient: true);
            case RegistryUnreachableException or HttpRequestException or SocketException or IOException:
                return new("SourceUnavailable", Stable(exception.Message), IsTransient: true);
            default:
                return exception.InnerException is { } cause && IsTyped(cause)
                    ? Classify(cause)
                    : new("FetchFailed", Stable(exception.Message), IsTransient: true);
        }
    }

    /// <summary>Whether an HTTP status may succeed on retry: 5xx, 429 and 408.</summary>
    /// <param name="status">The status.</param>
    /// <returns>True when transient.</returns>
    public static bool IsTransientStatus(HttpStatusCode status)
        => (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    /// <summary>
    /// A message with what varies between attempts of the same cause replaced: absolute file paths (temp files) become
    /// <c>&lt;path&gt;</c>, and it is cut to 1,024 characters (the Event message limit).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The stable message.</returns>
    public static string Stable(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stable = AbsolutePath().Replace(message, "<path>");
        return stable.Length <= 1024 ? stable : stable[..1024];
    }

    private static bool IsTyped(Exception exception)
        => exception is DigestMismatchException or SizeLimitExceededException or InvalidWasmModuleException or SsrfBlockedException or PullSecretException
            || (exception is IOException io && IsDiskFull(io));

    private static bool IsDiskFull(IOException exception)
        => exception.HResult is Enospc or ErrorDiskFull or ErrorHandleDiskFull;

    private static string SourceReason(HttpStatusCode? status, bool transient) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "SourceUnauthorized",
        HttpStatusCode.NotFound => "SourceNotFound",
        _ => transient ? "SourceUnavailable" : "FetchFailed",
    };

    // An absolute path at the start, after whitespace or after a quote: "/var/cache/wasmer/tmp/x1y2.part".
    // URLs ("https://host/a") are not matched: their slash follows a colon.
    [GeneratedRegex("""(?<=^|[\s'"(])/[^\s'"()]+""", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
