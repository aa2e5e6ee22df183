namespace WasmMesh.Controllers.Tests;

public sealed class LeaderElectorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ManualSynchronizationContext _context = new();
    private readonly InMemoryLeaderLock _store = new("lease test/leader");
    private readonly List<CancellationTokenSource> _stops = [];

    public void Dispose()
    {
        foreach (var stop in _stops)
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    [Fact]
    public async Task Run_EmptyLock_AcquiresAndWritesTheRecord()
    {
        var a = Candidate("a");

        Assert.True(a.Elector.IsLeader && a.Leading.Task.IsCompleted, "a leads");

        var record = _store.Current!;
        Assert.Equal("a", record.HolderIdentity);
        Assert.Equal(TimeSpan.FromSeconds(15), record.LeaseDuration);
        Assert.Equal(_time.GetUtcNow(), record.AcquireTime);
        Assert.Equal(_time.GetUtcNow(), record.RenewTime);
        Assert.Equal(0, record.LeaderTransitions);
        Assert.Equal("a", a.Elector.CurrentLeader);
        Assert.Equal(["a"], a.NewLeaders);
    }

    [Fact]
    public async Task Run_WhileLeading_RenewsEveryRetryPeriod()
    {
        var a = Candidate("a");
        Assert.True(a.Elector.IsLeader, "a leads");
        var acquired = _store.Current!.AcquireTime;

        for (var i = 1; i <= 3; i++)
        {
            await AdvanceAsync(TimeSpan.FromSeconds(2));
            var expected = _time.GetUtcNow();
            Assert.True(_store.Current!.RenewTime == expected, $"renewal {i} is written");
        }

        Assert.Equal(acquired, _store.Current!.AcquireTime);
        Assert.Equal("a", _store.Current.HolderIdentity);
        Assert.Equal(0, _store.Current.LeaderTransitions);
        Assert.True(a.Elector.IsLeader);
    }

    [Fact]
    public async Task Run_SecondCandidate_DoesNotLeadWhileTheLeaderRenews()
    {
        var a = Candidate("a");
        Assert.True(a.Elector.IsLeader, "a leads");
        var b = Candidate("b");
        Assert.True(b.Elector.CurrentLeader == "a", "b sees a");

        await AdvanceAsync(TimeSpan.FromSeconds(60));

        Assert.True(a.Elector.IsLeader);
        Assert.False(b.Elector.IsLeader);
        Assert.False(b.Leading.Task.IsCompleted);
        Assert.Equal("a", _store.Current!.HolderIdentity);
    }

    [Fact]
    public async Task Run_LeaderStopsRenewing_OtherTakesOverAfterTheLeaseDuration()
    {
        var a = Candidate("a", releaseOnCancel: false);
        Assert.True(a.Elector.IsLeader, "a leads");
        var b = Candidate("b");
        await AdvanceAsync(TimeSpan.FromSeconds(6));

        await StopAsync(a);
        var crashedAt = _time.GetUtcNow();
        Assert.Equal("a", _store.Current!.HolderIdentity);

        await AdvanceAsync(TimeSpan.FromSeconds(12));
        Assert.False(b.Elector.IsLeader);

        var waited = TimeSpan.FromSeconds(12);
        while (!b.Elector.IsLeader && waited < TimeSpan.FromSeconds(40))
        {
            await AdvanceAsync(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
        }

        Assert.True(b.Elector.IsLeader, "b takes over");
        Assert.InRange(_time.GetUtcNow() - crashedAt, TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(15 + 9 + 1));
        Assert.Equal("b", _store.Current!.HolderIdentity);
        Assert.Equal(1, _store.Current.LeaderTransitions);
        Assert.Equal(["a", "b"], b.NewLeaders);
    }

    [Fact]
    public async Task Run_Cancelled_StopsTheWorkThenReleasesSoOthersTakeOverAtOnce()
    {
        string? holderWhenWorkStopped = null;
        var a = Candidate("a", onCancelled: () => holderWhenWorkStopped = _store.Current!.HolderIdentity);
        Assert.True(a.Elector.IsLeader, "a leads");
        var b = Candidate("b");
        Assert.True(b.Elector.CurrentLeader == "a", "b sees a");

        await StopAsync(a);

        Assert.Equal("a", holderWhenWorkStopped);
        Assert.Equal(string.Empty, _store.Current!.HolderIdentity);
        Assert.Equal(TimeSpan.FromSeconds(1), _store.Current.LeaseDuration);
        Assert.False(a.Elector.IsLeader);
        Assert.True(a.Stopped);

        await AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.True(b.Elector.IsLeader);
        Assert.Equal(1, _store.Current!.LeaderTransitions);
    }

    [Fact]
    public async Task Run_LockUnavailableLongerThanTheRenewDeadline_LosesLeadershipWithoutCancellation()
    {
        var flaky = new FlakyLock(_store);
        var a = Candidate("a", leaderLock: flaky);
        Assert.True(a.Elector.IsLeader, "a leads");

        flaky.Down = true;
        await AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.True(a.Elector.IsLeader, "still within the renew deadline");
        Assert.False(a.Run.IsCompleted);

        await AdvanceAsync(TimeSpan.FromSeconds(6));
        await a.Run.Within();

        Assert.False(a.Stop.IsCancellationRequested);
        Assert.False(a.Elector.IsLeader);
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.True(a.Stopped);
        Assert.True(flaky.Failures > 3);
    }

    [Fact]
    public async Task Run_LockBrieflyUnavailable_KeepsLeading()
    {
        var flaky = new FlakyLock(_store);
        var a = Candidate("a", leaderLock: flaky);
        Assert.True(a.Elector.IsLeader, "a leads");

        flaky.Down = true;
        await AdvanceAsync(TimeSpan.FromSeconds(6));
        flaky.Down = false;
        await AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.True(a.Elector.IsLeader);
        Assert.False(a.Run.IsCompleted);
        Assert.Equal("a", _store.Current!.HolderIdentity);
    }

    [Fact]
    public async Task Run_LeaseTakenBySomeoneElse_LosesLeadership()
    {
        var a = Candidate("a");
        Assert.True(a.Elector.IsLeader, "a leads");

        var stolen = await _store.UpdateAsync(_store.Current! with { HolderIdentity = "intruder" }, TestContext.Current.CancellationToken);
        Assert.NotNull(stolen);
        await AdvanceAsync(TimeSpan.FromSeconds(14));
        await a.Run.Within();

        Assert.False(a.Elector.IsLeader);
        Assert.Equal("intruder", a.Elector.CurrentLeader);
        Assert.Equal("intruder", _store.Current!.HolderIdentity);
    }

    [Fact]
    public async Task Run_Twice_Throws()
    {
        var a = Candidate("a");
        Assert.True(a.Elector.IsLeader, "a leads");

        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Elector.RunAsync(new LeaderElectionCallbacks { OnStartedLeading = _ => Task.CompletedTask }, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(10, 10, 2)]
    [InlineData(15, 10, 9)]
    [InlineData(15, 10, 0)]
    [InlineData(0.5, 0.4, 0.1)]
    public void Constructor_InvalidTimings_Throws(double lease, double renew, double retry)
    {
        var options = new LeaderElectionOptions
        {
            Identity = "a",
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        Assert.Throws<ArgumentException>(() => new LeaderElector(_store, options, _time));
    }

    [Theory]
    [InlineData("Upper", "default")]
    [InlineData("ok", "bad/namespace")]
    [InlineData("-leading-dash", "default")]
    [InlineData("ok", "")]
    public void Validate_InvalidNames_Fail(string leaseName, string leaseNamespace)
    {
        var options = new LeaderElectionOptions { LeaseName = leaseName, LeaseNamespace = leaseNamespace };

        Assert.NotEmpty(LeaderElectionOptionsValidator.Check(options));
    }

    [Fact]
    public void Options_Defaults_MatchClientGo()
    {
        var options = new LeaderElectionOptions();

        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        Assert.StartsWith(System.Net.Dns.GetHostName() + "_", options.Identity);
        Assert.NotEqual(options.Identity, new LeaderElectionOptions().Identity);
        Assert.Empty(LeaderElectionOptionsValidator.Check(options));
    }

    private Task AdvanceAsync(TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += step)
        {
            _context.Run(() => _time.Advance(step));
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CandidateState candidate)
    {
        _context.Run(candidate.Stop.Cancel);
        await candidate.Run.Within();
    }

    private CandidateState Candidate(string identity, bool releaseOnCancel = true, ILeaderLock? leaderLock = null, Action? onCancelled = null)
    {
        var options = new LeaderElectionOptions { Identity = identity, ReleaseOnCancel = releaseOnCancel };
        var state = new CandidateState(new LeaderElector(leaderLock ?? _store, options, _time), new CancellationTokenSource());
        _stops.Add(state.Stop);
        var callbacks = new LeaderElectionCallbacks
        {
            OnStartedLeading = async ct =>
            {
                state.LeadingToken = ct;
                state.Leading.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    onCancelled?.Invoke();
                }
            },
            OnStoppedLeading = () => state.Stopped = true,
            OnNewLeader = state.NewLeaders.Add,
        };
        _context.Run(() => state.Run = state.Elector.RunAsync(callbacks, state.Stop.Token));
        return state;
    }

    private sealed class CandidateState(LeaderElector elector, CancellationTokenSource stop)
    {
        public LeaderElector Elector { get; } = elector;

        public CancellationTokenSource Stop { get; } = stop;

        public TaskCompletionSource Leading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken LeadingToken { get; set; }

        public List<string> NewLeaders { get; } = [];

        public bool Stopped { get; set; }

        public Task Run { get; set; } = Task.CompletedTask;
    }
}

/// <summary>Wraps a lock and fails every call while <see cref="Down"/> (an API server outage).</summary>
internal sealed class FlakyLock(ILeaderLock inner) : ILeaderLock
{
    private int _failures;

    public volatile bool Down;

    public int Failures => Volatile.Read(ref _failures);

    public string Description => inner.Description;

    public Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken = default) => Down ? Fail() : inner.GetAsync(cancellationToken);

    public Task<LeaderElectionRecord?> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) => Down ? Fail() : inner.CreateAsync(record, cancellationToken);

    public Task<LeaderElectionRecord?> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) => Down ? Fail() : inner.UpdateAsync(record, cancellationToken);

    private Task<LeaderElectionRecord?> Fail()
    {
        Interlocked.Increment(ref _failures);
        return Task.FromException<LeaderElectionRecord?>(new HttpRequestException("connection refused"));
    }
}
