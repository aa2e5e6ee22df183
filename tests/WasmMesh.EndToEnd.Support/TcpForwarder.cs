using System.Net;
using System.Net.Sockets;

namespace WasmMesh.EndToEnd.Support;

/// <summary>
/// Forwards a fixed 127.0.0.1 port to a target port. <see cref="Stop"/> closes the listener and every open connection
/// (clients then get "connection refused", as from a registry that went down); <see cref="Start"/> listens on the same
/// port again.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly object _gate = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    public TcpForwarder(int targetPort)
    {
        _targetPort = targetPort;
    }

    public int Port { get; private set; }

    public string Host => $"127.0.0.1:{Port}";

    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _listener = listener;
            _stop = new CancellationTokenSource();
            _accepting = AcceptAsync(listener, _stop.Token);
        }
    }

    public async Task StopAsync()
    {
        Task? accepting;
        lock (_gate)
        {
            if (_listener is null)
            {
                return;
            }

            _stop!.Cancel();
            _listener.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
            accepting = _accepting;
        }

        if (accepting is not null)
        {
            try
            {
                await accepting;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var upstream = new TcpClient();
        lock (_gate)
        {
            _connections.Add(client);
            _connections.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            var a = client.GetStream();
            var b = upstream.GetStream();
            var up = a.CopyToAsync(b, cancellationToken);
            var down = b.CopyToAsync(a, cancellationToken);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
                _connections.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }
}
