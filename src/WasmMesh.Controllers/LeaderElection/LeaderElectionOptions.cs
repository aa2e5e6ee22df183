using System.Net;

namespace WasmMesh.Controllers;

/// <summary>
/// Leader election options (client-go semantics). Candidates compete for one lock (by default a
/// <c>coordination.k8s.io/v1</c> Lease named <see cref="LeaseName"/> in <see cref="LeaseNamespace"/>); only the
/// holder runs controllers. Validated at start: <see cref="LeaseDuration"/> &gt; <see cref="RenewDeadline"/> &gt;
/// 1.2 × <see cref="RetryPeriod"/> &gt; 0.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>The default lease duration: 15 s.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>The default renew deadline: 10 s.</summary>
    public static readonly TimeSpan DefaultRenewDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The default retry period: 2 s.</summary>
    public static readonly TimeSpan DefaultRetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>The factor by which acquire retries are jittered (a retry waits between 1 and 2.2 retry periods).</summary>
    public const double JitterFactor = 1.2;

    /// <summary>
    /// Whether controllers run only on the elected leader. Default true. When false, every replica runs
    /// the controllers (use only with a single replica).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The name of the lock (the Lease's name). Default <c>wasmmesh-controllers</c>.</summary>
    public string LeaseName { get; set; } = "wasmmesh-controllers";

    /// <summary>
    /// The namespace of the lock. Default: the <c>POD_NAMESPACE</c> environment variable, else the in-cluster
    /// service account namespace, else <c>default</c>.
    /// </summary>
    public string LeaseNamespace { get; set; } = DefaultNamespace();

    /// <summary>
    /// This candidate's unique identity, written to the lock when it leads. Default: the <c>POD_NAME</c> environment
    /// variable (set it from the Downward API, <c>metadata.name</c>), else <c>{hostname}_{random}</c> (the suffix keeps
    /// two processes on one host apart). With a stable identity a restarted container finds its own name in the lease
    /// and takes it over at once instead of waiting a full <see cref="LeaseDuration"/> for its previous self.
    /// </summary>
    public string Identity { get; set; } = DefaultIdentity();

    /// <summary>How long other candidates wait after the last observed renewal before taking over. Default 15 s; whole seconds are stored.</summary>
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>How long the leader keeps retrying a failed renewal before it gives up leadership. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = DefaultRenewDeadline;

    /// <summary>How long candidates wait between attempts (acquire or renew). Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = DefaultRetryPeriod;

    /// <summary>Whether the leader releases the lock on graceful shutdown so another candidate takes over at once. Default true.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    private static string DefaultNamespace()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        try
        {
            const string serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
            if (File.Exists(serviceAccountNamespace))
            {
                var fromFile = File.ReadAllText(serviceAccountNamespace).Trim();
                if (fromFile.Length > 0)
                {
                    return fromFile;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return "default";
    }

    private static string DefaultIdentity()
    {
        var podName = Environment.GetEnvironmentVariable("POD_NAME");
        if (!string.IsNullOrWhiteSpace(podName))
        {
            return podName.Trim();
        }

        string host;
        try
        {
            host = Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            host = Environment.MachineName;
        }

        return $"{host}_{Guid.NewGuid():N}";
    }
}
