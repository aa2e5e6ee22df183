using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace WasmMesh.Controllers.Tests;

public sealed class ControllerManagerTests : IAsyncDisposable
{
    private static readonly ObjectKey Key = ObjectKey.Parse("default/test");

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaderLock _store = new("lease test/wasmer");
    private readonly List<IHost> _hosts = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }
    }

    [Fact]
    public async Task Start_GatesClosed_NotReadyAndControllersIdleUntilTheyOpen()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var replica = await StartReplicaAsync("a", builder => builder.AddStartupGate("autowasm informer", (_, ct) => gate.Task.WaitAsync(ct)));

        Assert.False(replica.Manager.IsReady);
        Assert.False(replica.Manager.IsLeader);
        Assert.False(replica.Manager.GetController("autowasm").IsRunning);
        Assert.Null(_store.Current);

        gate.SetResult();

        await replica.Manager.WaitUntilReadyAsync(TestContext.Current.CancellationToken).Within();
        await Eventually.TrueAsync(() => replica.Reconciler.Calls.Contains(Key), "the leader reconciles the source's keys");
        Assert.True(replica.Manager.IsLeader);
        Assert.Equal("a", replica.Manager.CurrentLeader);
    }

    [Fact]
    public async Task Start_GateThrows_RetriesItUntilItOpens()
    {
        var attempts = 0;
        var replica = await StartReplicaAsync("a", builder => builder.AddStartupGate(
            "flaky",
            (_, _) => Interlocked.Increment(ref attempts) == 1 ? throw new HttpRequestException("list failed") : Task.CompletedTask));

        await Eventually.TrueAsync(() => Volatile.Read(ref attempts) == 1, "the gate failed once");
        Assert.False(replica.Manager.IsReady);

        // The retry delay is armed asynchronously after the failure: keep moving the clock until the gate runs again.
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(ControllerManager.GateRetryDelay);
                return Volatile.Read(ref attempts) == 2;
            },
            "the gate is retried after its delay");

        await replica.Manager.WaitUntilReadyAsync(TestContext.Current.CancellationToken).Within();
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderRunsControllers_BothAreReady()
    {
        var a = await StartReplicaAsync("a");
        await Eventually.TrueAsync(() => a.Manager.IsLeader, "a leads");
        var b = await StartReplicaAsync("b");
        await b.Manager.WaitUntilReadyAsync(TestContext.Current.CancellationToken).Within();
        await Eventually.TrueAsync(() => b.Manager.CurrentLeader == "a", "b sees a as leader");

        await Eventually.TrueAsync(() => a.Reconciler.Calls.Contains(Key), "a reconciles");
        for (var i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));

            // Keep the manual clock from running ahead of the leader's renewals (they run on the thread pool).
            await Eventually.TrueAsync(() => _time.GetUtcNow() - _store.Current!.RenewTime <= LeaderElectionOptions.DefaultRetryPeriod, "the leader keeps renewing");
        }

        Assert.True(b.Manager.IsReady);
        Assert.False(b.Manager.IsLeader);
        Assert.False(b.Manager.GetController("autowasm").IsRunning);
        Assert.Empty(b.Reconciler.Calls);
        Assert.Equal("a", _store.Current!.HolderIdentity);
    }

    [Fact]
    public async Task LeaderStopsGracefully_ReleasesAndTheOtherReplicaTakesOver()
    {
        var a = await StartReplicaAsync("a");
        await Eventually.TrueAsync(() => a.Manager.IsLeader, "a leads");
        var b = await StartReplicaAsync("b");
        await Eventually.TrueAsync(() => b.Manager.CurrentLeader == "a", "b sees a as leader");

        await a.Host.StopAsync(TestContext.Current.CancellationToken).Within();

        Assert.Equal(string.Empty, _store.Current!.HolderIdentity);
        Assert.Empty(a.LossHandler.Losses);
        for (var i = 0; i < 10 && !b.Manager.IsLeader; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await Eventually.TrueAsync(() => b.Reconciler.Calls.Contains(Key), "b leads and reconciles");
        Assert.Equal("b", _store.Current!.HolderIdentity);
    }

    [Fact]
    public async Task LeadershipLost_StopsControllersAndCallsTheLossHandler()
    {
        var flaky = new FlakyLock(_store);
        var a = await StartReplicaAsync("a", builder => builder.UseLeaderLock(_ => flaky));
        await Eventually.TrueAsync(() => a.Manager.IsLeader && a.Manager.GetController("autowasm").IsRunning, "a leads and runs its controller");

        flaky.Down = true;
        for (var i = 0; i < 400 && a.LossHandler.Losses.IsEmpty; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await Eventually.TrueAsync(() => !a.LossHandler.Losses.IsEmpty, "the loss handler is called");
        Assert.Equal(("lease test/wasmer", "a"), a.LossHandler.Losses.Single());
        Assert.False(a.Manager.IsLeader);
        Assert.False(a.Manager.GetController("autowasm").IsRunning);
        Assert.True(a.Manager.IsReady);
    }

    [Fact]
    public async Task LeaderElectionDisabled_RunsControllersWithoutALock()
    {
        var a = await StartReplicaAsync("a", configureLeaderElection: o => o.Enabled = false, useLock: false);

        await Eventually.TrueAsync(() => a.Reconciler.Calls.Contains(Key), "the controller runs");
        Assert.True(a.Manager.IsLeader);
        Assert.Equal("a", a.Manager.CurrentLeader);
        Assert.Null(_store.Current);
    }

    [Fact]
    public async Task Start_LeaderElectionWithoutALock_FailsWithAClearMessage()
    {
        var host = BuildReplica("a", useLock: false).Host;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("UseKubernetesLeaderLock", error.Message);
        host.Dispose();
    }

    [Fact]
    public async Task Start_InvalidLeaderElectionOptions_FailsValidation()
    {
        var host = BuildReplica("a", configureLeaderElection: o => o.RenewDeadline = TimeSpan.FromSeconds(20)).Host;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("LeaseDuration", error.Message);
        host.Dispose();
    }

    [Fact]
    public async Task Start_InvalidControllerOptions_FailsValidation()
    {
        var host = BuildReplica("a", configureController: o => o.MaxConcurrentReconciles = 0).Host;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Controller 'autowasm': MaxConcurrentReconciles", error.Message);
        host.Dispose();
    }

    [Fact]
    public void AddController_DuplicateName_Throws()
    {
        var builder = new ServiceCollection().AddWasmMeshControllers();
        builder.AddController<RecordingReconciler>("same");

        Assert.Throws<InvalidOperationException>(() => builder.AddController<RecordingReconciler>("same"));
    }

    [Fact]
    public async Task GetController_UnknownName_ThrowsListingTheNames()
    {
        var replica = await StartReplicaAsync("a");

        var error = Assert.Throws<KeyNotFoundException>(() => replica.Manager.GetController("nope"));

        Assert.Contains("autowasm", error.Message);
        Assert.Single(replica.Manager.Controllers);
    }

    [Fact]
    public void AddWasmMeshControllers_CalledTwice_RegistersOneManager()
    {
        var services = new ServiceCollection();
        services.AddWasmMeshControllers();
        services.AddWasmMeshControllers(o => o.LeaseName = "wasmer");

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IControllerManager));
    }

    [Fact]
    public async Task NoControllers_StillLeadsUntilStopped()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddWasmMeshControllers(o => o.Identity = "solo").UseInMemoryLeaderLock(_store);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var manager = host.Services.GetRequiredService<IControllerManager>();

        await Eventually.TrueAsync(() => manager.IsLeader, "the replica leads");
        await Task.Yield();

        Assert.True(manager.IsLeader);
        Assert.Equal("solo", _store.Current!.HolderIdentity);
        Assert.Empty(manager.Controllers);
    }

    [Fact]
    public void UseKubernetesLeaderLock_ResolvesALeaseLockFromTheOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Substitute.For<k8s.IKubernetes>());
        services.AddWasmMeshControllers(o =>
        {
            o.LeaseName = "wasmer";
            o.LeaseNamespace = "istio-system";
        }).UseKubernetesLeaderLock();
        using var provider = services.BuildServiceProvider();

        var leaderLock = Assert.IsType<KubernetesLeaderLock>(provider.GetRequiredService<ILeaderLock>());

        Assert.Equal("lease istio-system/wasmer", leaderLock.Description);
    }

    [Fact]
    public async Task Reconciler_IsResolvedInAScopePerReconcile()
    {
        var scopes = new ConcurrentQueue<ScopedDependency>();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton(scopes);
        builder.Services.AddScoped<ScopedDependency>();
        builder.Services.AddScoped<ScopedReconciler>();
        builder.Services.AddWasmMeshControllers(o => o.Enabled = false)
            .AddController<ScopedReconciler>("scoped")
            .AddSource((_, controller, ct) =>
            {
                controller.Enqueue(ObjectKey.Parse("ns/one"));
                controller.Enqueue(ObjectKey.Parse("ns/two"));
                return Task.Delay(Timeout.Infinite, ct);
            });
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync(TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => scopes.Count == 2, "both keys are reconciled");
        await Eventually.TrueAsync(() => scopes.All(s => s.Disposed), "each scope is disposed after its reconcile");

        Assert.NotSame(scopes.First(), scopes.Last());
    }

    [Fact]
    public void ExitOnLeadershipLoss_SetsExitCodeOneAndStopsTheApplication()
    {
        var lifetime = Substitute.For<IHostApplicationLifetime>();
        var previous = Environment.ExitCode;
        try
        {
            new ExitOnLeadershipLoss(lifetime, NullLogger<ExitOnLeadershipLoss>.Instance).OnLeadershipLost("lease ns/name", "a");

            Assert.Equal(1, Environment.ExitCode);
            lifetime.Received(1).StopApplication();
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    private async Task<Replica> StartReplicaAsync(
        string identity,
        Action<WasmMeshControllersBuilder>? configure = null,
        Action<LeaderElectionOptions>? configureLeaderElection = null,
        bool useLock = true)
    {
        var replica = BuildReplica(identity, configure, configureLeaderElection, useLock);
        _hosts.Add(replica.Host);
        await replica.Host.StartAsync(TestContext.Current.CancellationToken);
        return replica;
    }

    private Replica BuildReplica(
        string identity,
        Action<WasmMeshControllersBuilder>? configure = null,
        Action<LeaderElectionOptions>? configureLeaderElection = null,
        bool useLock = true,
        Action<ControllerOptions>? configureController = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var reconciler = new RecordingReconciler();
        var lossHandler = new RecordingLossHandler();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton(reconciler);
        builder.Services.AddSingleton<ILeadershipLossHandler>(lossHandler);
        var controllers = builder.Services.AddWasmMeshControllers(o =>
        {
            o.Identity = identity;
            o.LeaseName = "wasmer";
            o.LeaseNamespace = "test";
            configureLeaderElection?.Invoke(o);
        });
        if (useLock)
        {
            controllers.UseInMemoryLeaderLock(_store);
        }

        controllers.AddController<RecordingReconciler>("autowasm", configureController)
            .AddSource((_, controller, ct) =>
            {
                controller.Enqueue(Key);
                return Task.Delay(Timeout.Infinite, ct);
            });
        configure?.Invoke(controllers);
        var host = builder.Build();
        return new Replica(host, reconciler, lossHandler);
    }

    private sealed record Replica(IHost Host, RecordingReconciler Reconciler, RecordingLossHandler LossHandler)
    {
        public IControllerManager Manager => Host.Services.GetRequiredService<IControllerManager>();
    }

    private sealed class RecordingReconciler : IReconciler
    {
        public ConcurrentQueue<ObjectKey> Calls { get; } = new();

        public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue(request.Key);
            return Task.FromResult(ReconcileResult.Done);
        }
    }

    private sealed class ScopedDependency : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ScopedReconciler(ScopedDependency dependency, ConcurrentQueue<ScopedDependency> seen) : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken = default)
        {
            seen.Enqueue(dependency);
            return Task.FromResult(ReconcileResult.Done);
        }
    }

    private sealed class RecordingLossHandler : ILeadershipLossHandler
    {
        public ConcurrentQueue<(string Lock, string Identity)> Losses { get; } = new();

        public void OnLeadershipLost(string lockDescription, string identity) => Losses.Enqueue((lockDescription, identity));
    }
}
