using k8s;
using k8s.Models;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using WasmMesh.Kubernetes;

namespace WasmMesh.Controllers.Tests;

public sealed class InformerSourceTests : IAsyncDisposable
{
    private readonly Channel<WatchEvent<V1Lease>> _events = Channel.CreateUnbounded<WatchEvent<V1Lease>>();
    private readonly IKubernetesResourceClient<V1Lease> _client = Substitute.For<IKubernetesResourceClient<V1Lease>>();
    private readonly Informer<V1Lease> _informer;

    public InformerSourceTests()
    {
        _client.ResourceType.Returns(KubernetesResourceType.Leases);
        _client.ListAsync(Arg.Any<string?>(), Arg.Any<ListOptions?>(), Arg.Any<CancellationToken>())
            .Returns(new ResourceList<V1Lease> { Metadata = new V1ListMeta { ResourceVersion = "10" }, Items = [Lease("ns", "a", "1"), Lease("ns", "b", "2")] });
        _client.WatchAsync(Arg.Any<string?>(), Arg.Any<WatchOptions?>(), Arg.Any<CancellationToken>())
            .Returns(call => Watch(call.ArgAt<CancellationToken>(2)));
        _informer = new Informer<V1Lease>(_client, new InformerOptions { ResyncPeriod = null });
    }

    public async ValueTask DisposeAsync() => await _informer.DisposeAsync();

    [Fact]
    public async Task Run_EnqueuesEveryCachedObjectThenEachChange()
    {
        await _informer.StartAsync(TestContext.Current.CancellationToken);
        await _informer.WaitForSyncAsync(TestContext.Current.CancellationToken).Within();
        var calls = new ConcurrentQueue<ObjectKey>();
        var controller = new Controller("leases", (r, _) => { calls.Enqueue(r.Key); return Task.FromResult(ReconcileResult.Done); }, new ControllerOptions(), [new InformerSource<V1Lease>(_informer)]);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => calls.Count == 2, "both cached objects are reconciled");
        await _events.Writer.WriteAsync(new WatchEvent<V1Lease> { Type = WatchEventType.Added, Object = Lease("other", "c", "11"), Metadata = Lease("other", "c", "11").Metadata }, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => calls.Count == 3, "the added object is reconciled");

        Assert.Equal(["ns/a", "ns/b", "other/c"], calls.Select(k => k.ToString()).Order());
        await stop.CancelAsync();
        await run.Within();
    }

    [Fact]
    public async Task Run_WithAMapping_EnqueuesTheMappedKeys()
    {
        await _informer.StartAsync(TestContext.Current.CancellationToken);
        var calls = new ConcurrentQueue<ObjectKey>();
        var source = new InformerSource<V1Lease>(_informer, e => e.Name == "a" ? [new ObjectKey("owners", "owner-of-a")] : []);
        var controller = new Controller("leases", (r, _) => { calls.Enqueue(r.Key); return Task.FromResult(ReconcileResult.Done); }, new ControllerOptions(), [source]);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => !calls.IsEmpty, "the mapped key is reconciled");
        await stop.CancelAsync();
        await run.Within();

        Assert.Equal([new ObjectKey("owners", "owner-of-a")], calls);
    }

    [Fact]
    public async Task AddInformerGate_OpensWhenTheInformerHasSynced()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshControllers().AddInformerGate("leases", _ => _informer);
        using var provider = services.BuildServiceProvider();
        var gate = Assert.Single(provider.GetServices<IStartupGate>());
        var wait = gate.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("leases", gate.Name);
        Assert.False(wait.IsCompleted);
        await _informer.StartAsync(TestContext.Current.CancellationToken);
        await wait.Within();
    }

    private static V1Lease Lease(string ns, string name, string version)
        => new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = version } };

    private async IAsyncEnumerable<WatchEvent<V1Lease>> Watch([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }
}
