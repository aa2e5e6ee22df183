using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WasmMesh.Controllers;
using WasmMesh.Istio;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Istio.EnvoyFilters;
using WasmMesh.Sources;
using WasmMesh.Testing;

namespace WasmMesh.Operator.Tests;

/// <summary>An AutoWasm reconciler wired to a real in-process API server and a substitute module provider.</summary>
internal sealed class ReconcilerFixture : IAsyncDisposable
{
    public static readonly Digest ModuleSha = Digest.FromSha256Hex("750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f");

    /// <summary>A real module on disk (the sample), which the pre-flight check reads.</summary>
    public static readonly string SampleModulePath = Path.Combine(WasmMesh.TestSupport.RepoPaths.Root, "samples", "Modules", "add-header.wasm");

    private ReconcilerFixture(KubernetesTestServer server, k8s.Kubernetes client, Informer<AutoWasm> informer)
    {
        Server = server;
        Client = client;
        Informer = informer;
        Store = new AutoWasmStore(informer);
        Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>()).Returns(ci => Task.FromResult(new WasmModuleResult
        {
            Sha256 = ModuleSha,
            Size = 898,
            SourceKind = ci.Arg<WasmSourceRequest>().Kind,
            ManifestDigest = ci.Arg<WasmSourceRequest>().Kind == WasmSourceKind.Registry ? Digest.FromSha256Hex(new string('a', 64)) : null,
            Path = SampleModulePath,
        }));
        Modules.FindAsync(Arg.Any<Digest>(), Arg.Any<CancellationToken>()).Returns(ci => ValueTask.FromResult<WasmModuleResult?>(new WasmModuleResult { Sha256 = ci.Arg<Digest>(), Size = 898, Path = SampleModulePath }));
        Retention.ApplyRetentionAsync(Arg.Any<IReadOnlyCollection<Digest>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new WasmCacheRetentionResult { Evicted = [], BytesFreed = 0, TotalBytes = 0, OverBudget = false }));
        Reconciler = new AutoWasmReconciler(Store, client, new WasmSourceRequestFactory(client), Modules, Retention, Options.Create(OperatorOptions), TimeProvider.System, NullLogger<AutoWasmReconciler>.Instance);
        AutoWasms = client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelJsonContext.Default.AutoWasm);
        EnvoyFilters = client.Resource(KubernetesResourceType.Of<EnvoyFilter>(), IstioJsonContext.Default.EnvoyFilter);
    }

    public KubernetesTestServer Server { get; }

    public k8s.Kubernetes Client { get; }

    public Informer<AutoWasm> Informer { get; }

    public AutoWasmStore Store { get; }

    public IWasmModuleProvider Modules { get; } = Substitute.For<IWasmModuleProvider>();

    public IWasmCacheRetention Retention { get; } = Substitute.For<IWasmCacheRetention>();

    public AutoWasmOperatorOptions OperatorOptions { get; } = new();

    public AutoWasmReconciler Reconciler { get; }

    public IKubernetesResourceClient<AutoWasm> AutoWasms { get; }

    public IKubernetesResourceClient<EnvoyFilter> EnvoyFilters { get; }

    public static async Task<ReconcilerFixture> StartAsync(CancellationToken cancellationToken)
    {
        var server = new KubernetesTestServer();
        await server.StartAsync(cancellationToken);
        await server.ApplyYamlAsync(AutoWasmCrd.Yaml, cancellationToken);
        foreach (var crd in IstioCrds.All)
        {
            await server.ApplyYamlAsync(crd, cancellationToken);
        }

        var client = new k8s.Kubernetes(server.ClientConfiguration);
        var informer = new Informer<AutoWasm>(client.Resource(KubernetesResourceType.Of<AutoWasm>(), ModelJsonContext.Default.AutoWasm));
        await informer.StartAsync(cancellationToken);
        await informer.WaitForSyncAsync(cancellationToken);
        return new ReconcilerFixture(server, client, informer);
    }

    /// <summary>Applies YAML and waits until the informer sees that resource version.</summary>
    public async Task ApplyAsync(string yaml, string name, CancellationToken cancellationToken)
    {
        await Server.ApplyYamlAsync(yaml, cancellationToken);
        await WaitForCacheAsync(name, cancellationToken);
    }

    public async Task WaitForCacheAsync(string name, CancellationToken cancellationToken)
    {
        var current = await AutoWasms.TryGetAsync("default", name, cancellationToken);
        for (var i = 0; i < 200; i++)
        {
            var cached = Informer.Get("default", name);
            if ((current is null && cached is null) || (current is not null && cached?.Metadata.ResourceVersion == current.Metadata.ResourceVersion))
            {
                return;
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"the informer did not catch up with {name}");
    }

    /// <summary>
    /// Reconciles as the controller would: a reconcile that started a fetch returns at once; when the fetch finishes the
    /// key is reconciled again (the fetch-completion source), which this helper does after the informer caught up.
    /// </summary>
    public Task<ReconcileResult> ReconcileAsync(string name, CancellationToken cancellationToken)
        => DriveAsync(Reconciler, new ReconcileRequest(new ObjectKey("default", name)), cancellationToken);

    /// <summary>Reconciles <paramref name="request"/> with <paramref name="reconciler"/> as the controller would (see <see cref="ReconcileAsync"/>).</summary>
    public async Task<ReconcileResult> DriveAsync(AutoWasmReconciler reconciler, ReconcileRequest request, CancellationToken cancellationToken)
    {
        var result = await reconciler.ReconcileAsync(request, cancellationToken);
        for (var i = 0; i < 3 && reconciler.HasFetch(request.Key); i++)
        {
            await reconciler.WhenFetchSettled(request.Key).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await WaitForCacheAsync(request.Name, cancellationToken);
            result = await reconciler.ReconcileAsync(request, cancellationToken);
        }

        return result;
    }

    /// <summary>One reconcile, exactly as the controller calls it (a fetch it starts is left running).</summary>
    public Task<ReconcileResult> ReconcileOnceAsync(string name, CancellationToken cancellationToken)
        => Reconciler.ReconcileAsync(new ReconcileRequest(new ObjectKey("default", name)), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Reconciler.DisposeAsync();
        await Informer.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
