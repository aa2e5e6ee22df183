using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>
/// The environment the fault tests share (each test uses its own namespace and stub paths): the API test server, a
/// stub HTTP server whose paths fail, hang or stream as each test maps them, and one wasmer that accepts modules up to
/// <see cref="MaxModuleBytes"/>. Started on first use. Tests that stop the API or wasmer start their own.
/// </summary>
public sealed class FaultMesh : IAsyncLifetime
{
    /// <summary>The largest module the shared wasmer accepts (small, so a too-large object is cheap to serve).</summary>
    public const int MaxModuleBytes = 256 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Running? _running;

    /// <summary>The running environment; starts it on first call; skips the calling test when kubectl is absent.</summary>
    internal async Task<Running> GetAsync()
    {
        Kubectl.Require();
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _running ??= await Running.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }

        _gate.Dispose();
    }

    internal sealed class Running(MeshEnvironment mesh, HttpTestServer stub, WasmerProcess wasmer) : IAsyncDisposable
    {
        public MeshEnvironment Mesh { get; } = mesh;

        public HttpTestServer Stub { get; } = stub;

        public WasmerProcess Wasmer { get; } = wasmer;

        public static async Task<Running> StartAsync()
        {
            var mesh = await MeshEnvironment.StartAsync();
            HttpTestServer? stub = null;
            try
            {
                stub = await HttpTestServer.StartAsync();
                var wasmer = await WasmerProcess.StartAsync("fault-mesh", mesh.Kubeconfig, [$"--Wasmer:MaxModuleBytes={MaxModuleBytes}"]);
                return new Running(mesh, stub, wasmer);
            }
            catch
            {
                if (stub is not null)
                {
                    await stub.DisposeAsync();
                }

                await mesh.DisposeAsync();
                throw;
            }
        }

        public string Diagnostics() => "--- wasmer log (tail)\n" + Tail(Wasmer.Log, 8000);

        public async ValueTask DisposeAsync()
        {
            await Wasmer.DisposeAsync();
            await Stub.DisposeAsync();
            await Mesh.DisposeAsync();
        }

        private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
    }
}
