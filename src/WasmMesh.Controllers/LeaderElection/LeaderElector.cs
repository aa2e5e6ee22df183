using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WasmMesh.Controllers;

/// <summary>
/// Elects one leader among candidates sharing an <see cref="ILeaderLock"/>, with client-go's semantics:
/// a candidate retries every <see cref="LeaderElectionOptions.RetryPeriod"/> (jittered) until the lock is
/// free or its holder has not renewed it for <see cref="LeaderElectionOptions.LeaseDuration"/> as measured
/// by this candidate's own clock; the leader renews every retry period and gives up leadership when it
/// cannot renew within <see cref="LeaderElectionOptions.RenewDeadline"/>. On cancellation the leader stops
/// its work, then releases the lock (when <see cref="LeaderElectionOptions.ReleaseOnCancel"/>) so another
/// candidate takes over at once. A candidate that lost leadership does not campaign again: callers are
/// expected to exit and be restarted.
/// </summary>
public sealed class LeaderElector
{
    private static readonly TimeSpan ReleasedLeaseDuration = TimeSpan.FromSeconds(1);

    private readonly ILeaderLock _lock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _renewDeadline;
    private readonly TimeSpan _retryPeriod;
    private readonly bool _releaseOnCancel;
    private LeaderElectionRecord? _observedRecord;
    private long _observedTimestamp;
    private volatile bool _isLeader;
    private volatile string? _currentLeader;
    private int _started;

    /// <summary>Creates an elector.</summary>
    /// <param name="leaderLock">The lock candidates compete for.</param>
    /// <param name="options">Identity and timings; validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public LeaderElector(ILeaderLock leaderLock, LeaderElectionOptions options, TimeProvider? timeProvider = null, ILogger<LeaderElector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(leaderLock);
        ArgumentNullException.ThrowIfNull(options);
        var failures = LeaderElectionOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid leader election options: " + string.Join(" ", failures), nameof(options));
        }

        _lock = leaderLock;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Identity = options.Identity;
        _leaseDuration = options.LeaseDuration;
        _renewDeadline = options.RenewDeadline;
        _retryPeriod = options.RetryPeriod;
        _releaseOnCancel = options.ReleaseOnCancel;
    }

    /// <summary>This candidate's identity.</summary>
    public string Identity { get; }

    /// <summary>True while this candidate leads (from acquisition until leadership is lost or released).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder last observed in the lock (this candidate when it leads), or null when none was seen.</summary>
    public string? CurrentLeader => _currentLeader;

    /// <summary>
    /// Campaigns for leadership; while leading, runs <see cref="LeaderElectionCallbacks.OnStartedLeading"/> and
    /// renews the lock. Completes when leadership is lost (the token is not cancelled then) or when
    /// <paramref name="cancellationToken"/> is cancelled (after the leader's work stopped and the lock was released).
    /// Can be called once per elector.
    /// </summary>
    /// <param name="callbacks">What to run while leading.</param>
    /// <param name="cancellationToken">Stops campaigning or leading.</param>
    /// <returns>A task that completes when this candidate stops leading or campaigning.</returns>
    public async Task RunAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("A leader elector runs once; create a new one to campaign again.");
        }

        Log.Acquiring(_logger, _lock.Description, Identity);
        if (!await AcquireAsync(callbacks, cancellationToken))
        {
            return;
        }

        _isLeader = true;
        Log.Acquired(_logger, _lock.Description, Identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = LeadAsync(callbacks, leading.Token);
        var lost = await RenewAsync(callbacks, cancellationToken);
        if (lost)
        {
            _isLeader = false;
        }

#pragma warning disable CA1849 // Cancel inline: the leader's work starts stopping before this method awaits it.
        leading.Cancel();
#pragma warning restore CA1849
        await work;
        if (!lost && _releaseOnCancel)
        {
            await ReleaseAsync();
        }

        _isLeader = false;
        callbacks.OnStoppedLeading?.Invoke();
    }

    private async Task LeadAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken)
    {
        try
        {
            await callbacks.OnStartedLeading(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The leader's work failing must not stop renewals silently; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LeadingCallbackFailed(_logger, ex, _lock.Description);
        }
    }

    // Returns true once acquired, false when cancelled first.
    private async Task<bool> AcquireAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(callbacks, cancellationToken))
            {
                return true;
            }

            if (!await DelayAsync(Jittered(_retryPeriod), cancellationToken))
            {
                return false;
            }
        }

        return false;
    }

    // Returns true when leadership was lost, false when cancelled.
    private async Task<bool> RenewAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await DelayAsync(_retryPeriod, cancellationToken))
            {
                return false;
            }

            using var deadline = new CancellationTokenSource(_renewDeadline, _timeProvider);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var renewed = false;
            while (true)
            {
                if (await TryAcquireOrRenewAsync(callbacks, attempt.Token))
                {
                    renewed = true;
                    break;
                }

                if (!await DelayAsync(_retryPeriod, attempt.Token))
                {
                    break;
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (!renewed)
            {
                Log.LeadershipLost(_logger, _lock.Description, Identity, _renewDeadline);
                return true;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewCoreAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // A failed attempt is logged and retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LockCallFailed(_logger, ex, _lock.Description, Identity);
            return false;
        }
        finally
        {
            ReportLeader(callbacks);
        }
    }

    private async Task<bool> TryAcquireOrRenewCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_renewDeadline, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var now = _timeProvider.GetUtcNow();
        var desired = new LeaderElectionRecord
        {
            HolderIdentity = Identity,
            LeaseDuration = _leaseDuration,
            AcquireTime = now,
            RenewTime = now,
        };

        var current = await _lock.GetAsync(linked.Token);
        if (current is null)
        {
            var created = await _lock.CreateAsync(desired, linked.Token);
            if (created is null)
            {
                return false;
            }

            Observe(created);
            return true;
        }

        if (!current.Equals(_observedRecord))
        {
            Observe(current);
        }

        var heldByOther = current.HolderIdentity.Length > 0 && !string.Equals(current.HolderIdentity, Identity, StringComparison.Ordinal);
        if (heldByOther && _timeProvider.GetElapsedTime(_observedTimestamp) < current.LeaseDuration)
        {
            return false;
        }

        desired = string.Equals(current.HolderIdentity, Identity, StringComparison.Ordinal)
            ? desired with { AcquireTime = current.AcquireTime ?? now, LeaderTransitions = current.LeaderTransitions }
            : desired with { LeaderTransitions = current.LeaderTransitions + 1 };
        var updated = await _lock.UpdateAsync(desired with { Version = current.Version }, linked.Token);
        if (updated is null)
        {
            return false;
        }

        Observe(updated);
        return true;
    }

    private async Task ReleaseAsync()
    {
        var observed = _observedRecord;
        if (observed is null || !string.Equals(observed.HolderIdentity, Identity, StringComparison.Ordinal))
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        var released = observed with
        {
            HolderIdentity = string.Empty,
            LeaseDuration = ReleasedLeaseDuration,
            AcquireTime = now,
            RenewTime = now,
        };

        try
        {
            using var timeout = new CancellationTokenSource(_renewDeadline, _timeProvider);
            var stored = await _lock.UpdateAsync(released, timeout.Token);
            if (stored is null)
            {
                Log.ReleaseFailed(_logger, null, _lock.Description, Identity);
                return;
            }

            Observe(stored);
            _currentLeader = null;
            Log.Released(_logger, _lock.Description, Identity);
        }
#pragma warning disable CA1031 // Releasing is best effort: the lease expires anyway.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReleaseFailed(_logger, ex, _lock.Description, Identity);
        }
    }

    private void Observe(LeaderElectionRecord record)
    {
        _observedRecord = record;
        _observedTimestamp = _timeProvider.GetTimestamp();
    }

    private void ReportLeader(LeaderElectionCallbacks callbacks)
    {
        var holder = _observedRecord?.HolderIdentity;
        if (string.IsNullOrEmpty(holder) || string.Equals(holder, _currentLeader, StringComparison.Ordinal))
        {
            return;
        }

        _currentLeader = holder;
        Log.NewLeader(_logger, _lock.Description, holder);
        callbacks.OnNewLeader?.Invoke(holder);
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * LeaderElectionOptions.JitterFactor));
#pragma warning restore CA5394
}
