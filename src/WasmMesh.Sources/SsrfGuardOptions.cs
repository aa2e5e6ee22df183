using System.Net;

namespace WasmMesh.Sources;

/// <summary>
/// Which addresses object URLs may connect to. The guard checks the address actually connected to
/// (after DNS resolution, for every redirect), not the host name. Only http and https are allowed.
/// </summary>
/// <remarks>
/// Cloud metadata addresses (169.254.169.254, 169.254.170.2, 169.254.170.23, fd00:ec2::254, fd00:ec2::23,
/// 100.100.100.200, 168.63.129.16) and unspecified addresses (0.0.0.0, ::) are always refused unless an
/// <see cref="AllowList"/> entry contains them.
/// </remarks>
public sealed class SsrfGuardOptions
{
    /// <summary>Whether loopback addresses (127.0.0.0/8, ::1) are refused. Default <see langword="true"/>.</summary>
    public bool BlockLoopback { get; set; } = true;

    /// <summary>Whether link-local addresses (169.254.0.0/16, fe80::/10) are refused. Default <see langword="true"/>.</summary>
    public bool BlockLinkLocal { get; set; } = true;

    /// <summary>
    /// Whether private addresses (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7) are
    /// refused. Default <see langword="false"/>: in-cluster object stores are common.
    /// </summary>
    public bool BlockPrivate { get; set; }

    /// <summary>
    /// Networks always allowed, in CIDR notation (<c>10.1.0.0/16</c>) or as single addresses
    /// (<c>169.254.169.254</c>). An entry overrides every block above, metadata addresses included.
    /// </summary>
    public IList<string> AllowList { get; } = new List<string>();

    /// <summary>
    /// Resolves a host name to addresses. Default: the system resolver (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>).
    /// Replace it to use another resolver, or in tests.
    /// </summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> HostResolver { get; set; } = static (host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
