using System.Net;

namespace WasmMesh.TestSupport;

/// <summary>A tiny HTTP server on 127.0.0.1 and a free port (System.Net.HttpListener) for registry stubs.</summary>
public sealed class RegistryHttpListener : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    private RegistryHttpListener(HttpListener listener, int port, Func<HttpListenerContext, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Starts listening.</summary>
    public static RegistryHttpListener Start(Func<HttpListenerContext, Task> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RegistryHttpListener(listener, port, handler);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Close alone stops and releases the port; Stop before it makes the managed listener re-bind the port
            // while removing its prefix, which fails once another test has taken that port.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                {
                }
                finally
                {
                    try
                    {
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                    }
                }
            });
        }
    }
}
