using System.Net;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Kubernetes;

namespace WasmMesh.Controllers.Tests;

public sealed class KubernetesLeaderLockTests
{
    private static readonly DateTimeOffset Acquired = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly IKubernetesResourceClient<Lease> _leases = Substitute.For<IKubernetesResourceClient<Lease>>();
    private readonly KubernetesLeaderLock _lock;

    public KubernetesLeaderLockTests()
    {
        _lock = new KubernetesLeaderLock(_leases, "wasmer-system", "wasmer");
    }

    [Fact]
    public async Task GetAsync_MissingLease_ReturnsNull()
    {
        _leases.TryGetAsync("wasmer-system", "wasmer", Arg.Any<CancellationToken>()).Returns((Lease?)null);

        Assert.Null(await _lock.GetAsync(TestContext.Current.CancellationToken));
        Assert.Equal("lease wasmer-system/wasmer", _lock.Description);
    }

    [Fact]
    public async Task GetAsync_ExistingLease_MapsSpecAndResourceVersion()
    {
        _leases.TryGetAsync("wasmer-system", "wasmer", Arg.Any<CancellationToken>()).Returns(StoredLease("42", "pod-a_1"));

        var record = await _lock.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            new LeaderElectionRecord
            {
                HolderIdentity = "pod-a_1",
                LeaseDuration = TimeSpan.FromSeconds(15),
                AcquireTime = Acquired,
                RenewTime = Acquired.AddSeconds(4),
                LeaderTransitions = 3,
                Version = "42",
            },
            record);
    }

    [Fact]
    public async Task CreateAsync_WritesTheLeaseSpec()
    {
        Lease? sent = null;
        _leases.CreateAsync(Arg.Do<Lease>(l => sent = l), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Lease>() with { Metadata = call.Arg<Lease>().Metadata with { ResourceVersion = "1" } });

        var created = await _lock.CreateAsync(Record("pod-a_1", version: null), TestContext.Current.CancellationToken);

        Assert.NotNull(sent);
        Assert.Equal("wasmer", sent.Metadata.Name);
        Assert.Equal("wasmer-system", sent.Metadata.Namespace);
        Assert.Equal(new LeaseSpec { HolderIdentity = "pod-a_1", LeaseDurationSeconds = 15, AcquireTime = Acquired, RenewTime = Acquired, LeaseTransitions = 0 }, sent.Spec);
        Assert.Equal("1", created!.Version);
    }

    [Fact]
    public async Task CreateAsync_AlreadyExists_ReturnsNull()
    {
        _leases.CreateAsync(Arg.Any<Lease>(), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(ApiError(HttpStatusCode.Conflict, "AlreadyExists"));

        Assert.Null(await _lock.CreateAsync(Record("pod-a_1", version: null), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UpdateAsync_ReplacesWithTheRecordsResourceVersionKeepingOtherFields()
    {
        _leases.TryGetAsync("wasmer-system", "wasmer", Arg.Any<CancellationToken>()).Returns(StoredLease("42", "pod-a_1"));
        Lease? sent = null;
        _leases.ReplaceAsync(Arg.Do<Lease>(l => sent = l), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Lease>() with { Metadata = call.Arg<Lease>().Metadata with { ResourceVersion = "43" } });
        var current = await _lock.GetAsync(TestContext.Current.CancellationToken);

        var updated = await _lock.UpdateAsync(current! with { HolderIdentity = "pod-b_2", LeaderTransitions = 4 }, TestContext.Current.CancellationToken);

        Assert.NotNull(sent);
        Assert.Equal("42", sent.Metadata.ResourceVersion);
        Assert.Equal("wasmer", sent.Metadata.Labels!["app"]);
        Assert.Equal("pod-b_2", sent.Spec!.HolderIdentity);
        Assert.Equal(4, sent.Spec.LeaseTransitions);
        Assert.Equal("43", updated!.Version);
    }

    [Fact]
    public async Task UpdateAsync_Released_WritesNoHolder()
    {
        _leases.TryGetAsync("wasmer-system", "wasmer", Arg.Any<CancellationToken>()).Returns(StoredLease("42", "pod-a_1"));
        Lease? sent = null;
        _leases.ReplaceAsync(Arg.Do<Lease>(l => sent = l), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Lease>());
        var current = await _lock.GetAsync(TestContext.Current.CancellationToken);

        await _lock.UpdateAsync(current! with { HolderIdentity = string.Empty, LeaseDuration = TimeSpan.FromSeconds(1) }, TestContext.Current.CancellationToken);

        Assert.Null(sent!.Spec!.HolderIdentity);
        Assert.Equal(1, sent.Spec.LeaseDurationSeconds);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "Conflict")]
    [InlineData(HttpStatusCode.NotFound, "NotFound")]
    public async Task UpdateAsync_StaleOrDeleted_ReturnsNull(HttpStatusCode status, string reason)
    {
        _leases.ReplaceAsync(Arg.Any<Lease>(), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>()).ThrowsAsync(ApiError(status, reason));

        Assert.Null(await _lock.UpdateAsync(Record("pod-a_1", version: "7"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UpdateAsync_OtherApiError_Throws()
    {
        _leases.ReplaceAsync(Arg.Any<Lease>(), Arg.Any<WriteOptions?>(), Arg.Any<CancellationToken>()).ThrowsAsync(ApiError(HttpStatusCode.Forbidden, "Forbidden"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _lock.UpdateAsync(Record("pod-a_1", version: "7"), TestContext.Current.CancellationToken));
        Assert.True(error.IsForbidden);
    }

    [Fact]
    public async Task UpdateAsync_WithoutVersion_Throws()
        => await Assert.ThrowsAsync<ArgumentException>(() => _lock.UpdateAsync(Record("pod-a_1", version: null), TestContext.Current.CancellationToken));

    private static LeaderElectionRecord Record(string holder, string? version) => new()
    {
        HolderIdentity = holder,
        LeaseDuration = TimeSpan.FromSeconds(15),
        AcquireTime = Acquired,
        RenewTime = Acquired,
        Version = version,
    };

    private static Lease StoredLease(string resourceVersion, string holder) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "wasmer",
            Namespace = "wasmer-system",
            ResourceVersion = resourceVersion,
            Labels = new Dictionary<string, string> { ["app"] = "wasmer" },
        },
        Spec = new LeaseSpec
        {
            HolderIdentity = holder,
            LeaseDurationSeconds = 15,
            AcquireTime = Acquired,
            RenewTime = Acquired.AddSeconds(4),
            LeaseTransitions = 3,
        },
    };

    private static KubernetesApiException ApiError(HttpStatusCode status, string reason)
        => new(status, new KubernetesStatus { Status = "Failure", Reason = reason, Code = (int)status }, "PUT", "/apis/coordination.k8s.io/v1/namespaces/wasmer-system/leases/wasmer");
}
