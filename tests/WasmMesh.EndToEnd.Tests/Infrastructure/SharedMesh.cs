using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The environment most end-to-end tests share (an assembly fixture; each test uses its own namespace and
/// repository): the API test server, a docker-registry, an object server and one wasmer process that re-resolves
/// tags every 5 s. Started on first use, so tests that need none of it (or skip) pay nothing.
/// </summary>
public sealed class SharedMesh : IAsyncLifetime
{
    /// <summary>How often the shared wasmer re-resolves registry tags (the smallest interval it accepts).</summary>
    public static readonly TimeSpan TagResolveInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Running? _running;
    private Exception? _failure;

    /// <summary>The running environment; starts it on first call; skips the calling test when kubectl or docker-registry is absent.</summary>
    internal async Task<Running> GetAsync()
    {
        Kubectl.Require();
        ExternalBinary.Require("docker-registry", "docker-registry");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("the shared end-to-end environment failed to start", _failure);
            }

            if (_running is null)
            {
                try
                {
                    _running = await Running.StartAsync();
                }
                catch (Exception e)
                {
                    _failure = e;
                    throw;
                }
            }

            return _running;
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

    /// <summary>The started environment.</summary>
    internal sealed class Running : MeshEnvironment
    {
        private Running(TempDirectory directory, Testing.KubernetesTestServer api, string kubeconfig, string kubectl, RegistryServer registry, HttpTestServer objects, WasmerProcess wasmer)
            : base(directory, api, kubeconfig, kubectl)
        {
            Registry = registry;
            Objects = objects;
            Wasmer = wasmer;
        }

        public RegistryServer Registry { get; }

        public HttpTestServer Objects { get; }

        public WasmerProcess Wasmer { get; }

        public static async Task<Running> StartAsync()
        {
            var cancellationToken = CancellationToken.None;
            var (directory, api, kubeconfig, kubectl) = await StartApiAsync(cancellationToken);
            RegistryServer? registry = null;
            HttpTestServer? objects = null;
            try
            {
                registry = await RegistryServer.StartAsync(cancellationToken: cancellationToken);
                objects = await HttpTestServer.StartAsync(cancellationToken);
                var wasmer = await WasmerProcess.StartAsync(
                    "common-mesh",
                    kubeconfig,
                    [$"--Wasmer:TagResolveInterval={TagResolveInterval:c}"],
                    cancellationToken: cancellationToken);
                return new Running(directory, api, kubeconfig, kubectl, registry, objects, wasmer);
            }
            catch
            {
                if (objects is not null)
                {
                    await objects.DisposeAsync();
                }

                if (registry is not null)
                {
                    await registry.DisposeAsync();
                }

                await api.DisposeAsync();
                directory.Dispose();
                throw;
            }
        }

        /// <summary>The wasmer log, for failure messages.</summary>
        public string Diagnostics() => "--- wasmer log (tail)\n" + Tail(Wasmer.Log, 8000);

        public override async ValueTask DisposeAsync()
        {
            await Wasmer.DisposeAsync();
            await Objects.DisposeAsync();
            await Registry.DisposeAsync();
            await base.DisposeAsync();
        }

        private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
    }
}
