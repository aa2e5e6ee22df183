using k8s;
using k8s.Models;
using WasmMesh.Kubernetes;
using WasmMesh.Testing;

namespace WasmMesh.Controllers.Tests;

/// <summary>Starts one Kubernetes API test server on 127.0.0.1 for the class.</summary>
public sealed class KubernetesServerFixture : IAsyncLifetime
{
    public KubernetesTestServer Server { get; } = new();

    public k8s.Kubernetes Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.StartAsync();
        Client = new k8s.Kubernetes(Server.ClientConfiguration);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "le-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }
}

public sealed class KubernetesLeaderElectionTests(KubernetesServerFixture fixture) : IClassFixture<KubernetesServerFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Electors_OverALease_AcquireReleaseAndHandOver()
    {
        var ns = await fixture.NewNamespaceAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = new LeaderElector(new KubernetesLeaderLock(fixture.Client, ns, "wasmer"), Options("a"), time);
        var b = new LeaderElector(new KubernetesLeaderLock(fixture.Client, ns, "wasmer"), Options("b"), time);
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var leading = new LeaderElectionCallbacks { OnStartedLeading = ct => Task.Delay(Timeout.Infinite, ct) };

        var runA = Task.Run(() => a.RunAsync(leading, stopA.Token), _ct);
        await Eventually.TrueAsync(() => a.IsLeader, "a acquires the lease");
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Equal("a", lease.Spec!.HolderIdentity);
        Assert.Equal(15, lease.Spec.LeaseDurationSeconds);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.NotNull(lease.Spec.AcquireTime);
        Assert.NotNull(lease.Spec.RenewTime);

        var runB = Task.Run(() => b.RunAsync(leading, stopB.Token), _ct);
        await Eventually.TrueAsync(() => b.CurrentLeader == "a", "b observes a as the leader");
        Assert.False(b.IsLeader);

        await stopA.CancelAsync();
        await runA.Within();
        var released = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Null(released.Spec!.HolderIdentity);
        Assert.Equal(1, released.Spec.LeaseDurationSeconds);

        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return b.IsLeader;
            },
            "b takes over the released lease");
        var taken = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Equal("b", taken.Spec!.HolderIdentity);
        Assert.Equal(1, taken.Spec.LeaseTransitions);

        await stopB.CancelAsync();
        await runB.Within();
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_IsAConflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = new KubernetesLeaderLock(fixture.Client, ns, "lock");
        var second = new KubernetesLeaderLock(fixture.Client, ns, "lock");
        var now = DateTimeOffset.UtcNow;
        var created = await first.CreateAsync(new LeaderElectionRecord { HolderIdentity = "a", LeaseDuration = TimeSpan.FromSeconds(15), AcquireTime = now, RenewTime = now }, _ct);
        Assert.NotNull(created);
        Assert.Null(await second.CreateAsync(created with { HolderIdentity = "b" }, _ct));

        var renewed = await first.UpdateAsync(created with { RenewTime = now.AddSeconds(2) }, _ct);
        Assert.NotNull(renewed);
        Assert.NotEqual(created.Version, renewed.Version);

        Assert.Null(await second.UpdateAsync(created with { HolderIdentity = "b" }, _ct));
        var current = await second.GetAsync(_ct);
        Assert.Equal("a", current!.HolderIdentity);
        Assert.Equal(renewed.RenewTime, current.RenewTime);
    }

    private static LeaderElectionOptions Options(string identity) => new() { Identity = identity, LeaseName = "wasmer", LeaseNamespace = "unused" };
}
