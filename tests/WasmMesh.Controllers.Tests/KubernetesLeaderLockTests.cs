using k8s;
using k8s.Models;
using WasmMesh.Kubernetes;
using WasmMesh.Testing;

namespace WasmMesh.Controllers.Tests;

/// <summary>The Lease lock against the API test server, read back with KubernetesClient's typed Lease API.</summary>
public sealed class KubernetesLeaderLockTests(KubernetesServerFixture fixture) : IClassFixture<KubernetesServerFixture>
{
    private static readonly DateTimeOffset Acquired = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_MissingLease_ReturnsNull()
    {
        var ns = await fixture.NewNamespaceAsync();
        Assert.Null(await new KubernetesLeaderLock(fixture.Client, ns, "wasmer").GetAsync(_ct));
    }

    [Fact]
    public async Task GetAsync_ExistingLease_MapsSpecAndResourceVersion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var stored = await StoreLeaseAsync(ns, "pod-a_1");

        var record = await new KubernetesLeaderLock(fixture.Client, ns, "wasmer").GetAsync(_ct);

        Assert.Equal(
            new LeaderElectionRecord
            {
                HolderIdentity = "pod-a_1",
                LeaseDuration = TimeSpan.FromSeconds(15),
                AcquireTime = Acquired,
                RenewTime = Acquired.AddSeconds(4),
                LeaderTransitions = 3,
                Version = stored.Metadata.ResourceVersion,
            },
            record);
    }

    [Fact]
    public async Task CreateAsync_WritesTheLeaseSpec()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await new KubernetesLeaderLock(fixture.Client, ns, "wasmer").CreateAsync(Record("pod-a_1", version: null), _ct);

        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Equal("pod-a_1", lease.Spec.HolderIdentity);
        Assert.Equal(15, lease.Spec.LeaseDurationSeconds);
        Assert.Equal(Acquired.UtcDateTime, lease.Spec.AcquireTime!.Value.ToUniversalTime());
        Assert.Equal(Acquired.UtcDateTime, lease.Spec.RenewTime!.Value.ToUniversalTime());
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.Equal(lease.Metadata.ResourceVersion, created!.Version);
    }

    [Fact]
    public async Task CreateAsync_AlreadyExists_ReturnsNull()
    {
        var ns = await fixture.NewNamespaceAsync();
        await StoreLeaseAsync(ns, "pod-a_1");
        Assert.Null(await new KubernetesLeaderLock(fixture.Client, ns, "wasmer").CreateAsync(Record("pod-b_2", version: null), _ct));
    }

    [Fact]
    public async Task UpdateAsync_ReplacesWithTheRecordsResourceVersionKeepingOtherFields()
    {
        var ns = await fixture.NewNamespaceAsync();
        await StoreLeaseAsync(ns, "pod-a_1");
        var leaderLock = new KubernetesLeaderLock(fixture.Client, ns, "wasmer");
        var current = await leaderLock.GetAsync(_ct);

        var updated = await leaderLock.UpdateAsync(current! with { HolderIdentity = "pod-b_2", LeaderTransitions = 4 }, _ct);

        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Equal("wasmer", lease.Metadata.Labels["app"]);
        Assert.Equal("pod-b_2", lease.Spec.HolderIdentity);
        Assert.Equal(4, lease.Spec.LeaseTransitions);
        Assert.NotEqual(current.Version, updated!.Version);
        Assert.Equal(lease.Metadata.ResourceVersion, updated.Version);
    }

    [Fact]
    public async Task UpdateAsync_Released_WritesNoHolder()
    {
        var ns = await fixture.NewNamespaceAsync();
        await StoreLeaseAsync(ns, "pod-a_1");
        var leaderLock = new KubernetesLeaderLock(fixture.Client, ns, "wasmer");
        var current = await leaderLock.GetAsync(_ct);

        await leaderLock.UpdateAsync(current! with { HolderIdentity = string.Empty, LeaseDuration = TimeSpan.FromSeconds(1) }, _ct);

        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("wasmer", ns, cancellationToken: _ct);
        Assert.Null(lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ReturnsNull()
    {
        var ns = await fixture.NewNamespaceAsync();
        var stored = await StoreLeaseAsync(ns, "pod-a_1");
        var leaderLock = new KubernetesLeaderLock(fixture.Client, ns, "wasmer");
        await leaderLock.UpdateAsync(Record("pod-a_1", stored.Metadata.ResourceVersion), _ct);

        Assert.Null(await leaderLock.UpdateAsync(Record("pod-b_2", stored.Metadata.ResourceVersion), _ct));
        Assert.Equal("pod-a_1", (await leaderLock.GetAsync(_ct))!.HolderIdentity);
    }

    [Fact]
    public async Task UpdateAsync_DeletedLease_ReturnsNull()
    {
        var ns = await fixture.NewNamespaceAsync();
        Assert.Null(await new KubernetesLeaderLock(fixture.Client, ns, "wasmer").UpdateAsync(Record("pod-a_1", version: "7"), _ct));
    }

    [Fact]
    public async Task UpdateAsync_OtherApiError_ThrowsTheTypedException()
    {
        await using var server = new KubernetesTestServer(new KubernetesTestServerOptions { BearerToken = "right" });
        await server.StartAsync(_ct);
        var config = server.ClientConfiguration;
        config.AccessToken = "wrong";
        using var client = new k8s.Kubernetes(config);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => new KubernetesLeaderLock(client, "default", "wasmer").UpdateAsync(Record("pod-a_1", version: "7"), _ct));
        Assert.True(error.IsUnauthorized);
        Assert.Contains("/apis/coordination.k8s.io/v1/namespaces/default/leases/wasmer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_WithoutVersion_Throws()
        => await Assert.ThrowsAsync<ArgumentException>(() => new KubernetesLeaderLock(fixture.Client, "default", "wasmer").UpdateAsync(Record("pod-a_1", version: null), _ct));

    private async Task<V1Lease> StoreLeaseAsync(string ns, string holder) =>
        await fixture.Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = "wasmer", Labels = new Dictionary<string, string> { ["app"] = "wasmer" } },
                Spec = new V1LeaseSpec
                {
                    HolderIdentity = holder,
                    LeaseDurationSeconds = 15,
                    AcquireTime = Acquired.UtcDateTime,
                    RenewTime = Acquired.AddSeconds(4).UtcDateTime,
                    LeaseTransitions = 3,
                },
            },
            ns,
            cancellationToken: _ct);

    private static LeaderElectionRecord Record(string holder, string? version) => new()
    {
        HolderIdentity = holder,
        LeaseDuration = TimeSpan.FromSeconds(15),
        AcquireTime = Acquired,
        RenewTime = Acquired,
        Version = version,
    };
}
