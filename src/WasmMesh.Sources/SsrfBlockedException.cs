using System.Net;

namespace WasmMesh.Sources;

/// <summary>An object URL (or a redirect) led to an address or scheme the SSRF guard refuses. No connection was made.</summary>
public sealed class SsrfBlockedException : WasmMeshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host name or address literal of the URL.</param>
    /// <param name="address">The refused address; <see langword="null"/> when the scheme was refused.</param>
    /// <param name="reason">Why, e.g. <c>link-local address</c>.</param>
    public SsrfBlockedException(string host, IPAddress? address, string reason)
        : base(address is null
            ? $"refused to fetch from {host}: {reason}"
            : $"refused to connect to {host} ({address}): {reason}; object sources must be public URLs (add the network to the SSRF guard's AllowList if this is intended)")
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    /// <summary>The host name or address literal of the URL.</summary>
    public string Host { get; }

    /// <summary>The refused address; <see langword="null"/> when the scheme was refused.</summary>
    public IPAddress? Address { get; }

    /// <summary>Why the connection was refused.</summary>
    public string Reason { get; }
}
