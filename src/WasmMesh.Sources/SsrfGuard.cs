using System.Net;
using System.Net.Sockets;

namespace WasmMesh.Sources;

/// <summary>Decides which addresses object sources may connect to, and connects only to those.</summary>
internal sealed class SsrfGuard
{
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
        IPAddress.Parse("169.254.170.2"), // AWS ECS task metadata
        IPAddress.Parse("169.254.170.23"), // AWS EKS pod identity
        IPAddress.Parse("fd00:ec2::254"), // AWS IMDS over IPv6
        IPAddress.Parse("fd00:ec2::23"), // AWS EKS pod identity over IPv6
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("168.63.129.16"), // Azure wire server
    ];

    private static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("fc00::/7"),
    ];

    private static readonly IPNetwork LinkLocalV4 = IPNetwork.Parse("169.254.0.0/16");
    private static readonly IPNetwork LinkLocalV6 = IPNetwork.Parse("fe80::/10");
    private static readonly IPNetwork LoopbackV4 = IPNetwork.Parse("127.0.0.0/8");

    private readonly SsrfGuardOptions _options;
    private readonly IPNetwork[] _allowList;

    public SsrfGuard(SsrfGuardOptions options)
    {
        _options = options;
        _allowList = [.. options.AllowList.Select(ParseNetwork)];
    }

    /// <summary>Parses an allow-list entry: CIDR or a single address.</summary>
    public static IPNetwork ParseNetwork(string entry)
    {
        if (TryParseNetwork(entry, out var network))
        {
            return network;
        }

        throw new FormatException($"SSRF guard allow-list entry '{entry}' is neither a CIDR network (10.0.0.0/8) nor an IP address");
    }

    public static bool TryParseNetwork(string? entry, out IPNetwork network)
    {
        entry = entry?.Trim();
        if (string.IsNullOrEmpty(entry))
        {
            network = default;
            return false;
        }

        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    /// <summary>Why an address is refused, or <see langword="null"/> when it is allowed.</summary>
    public string? Check(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _allowList)
        {
            if (network.Contains(address))
            {
                return null;
            }
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified address";
        }

        foreach (var metadata in MetadataAddresses)
        {
            if (metadata.Equals(address))
            {
                return "cloud metadata address";
            }
        }

        if (_options.BlockLoopback && (IPAddress.IsLoopback(address) || (address.AddressFamily == AddressFamily.InterNetwork && LoopbackV4.Contains(address))))
        {
            return "loopback address";
        }

        if (_options.BlockLinkLocal && (LinkLocalV4.Contains(address) || LinkLocalV6.Contains(address)))
        {
            return "link-local address";
        }

        if (_options.BlockPrivate)
        {
            foreach (var network in PrivateNetworks)
            {
                if (network.Contains(address))
                {
                    return "private address";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses blocked addresses and
    /// connects to the first allowed address that accepts.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(literal, out var parsed)
            ? [parsed]
            : await _options.HostResolver(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        Exception? lastError = null;
        foreach (var address in addresses)
        {
            var refused = Check(address);
            if (refused is not null)
            {
                lastError ??= new SsrfBlockedException(host, address, refused);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = lastError is SsrfBlockedException ? lastError : ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastError!;
    }
}
