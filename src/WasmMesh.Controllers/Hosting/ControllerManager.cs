using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.Controllers;

/// <summary>The <see cref="IControllerManager"/> hosted service.</summary>
internal sealed class ControllerManager : BackgroundService, IControllerManager
{
    internal static readonly TimeSpan GateRetryDelay = TimeSpan.FromSeconds(5);

    private readonly IServiceProvider _services;
    private readonly Controller[] _controllers;
    private readonly IStartupGate[] _gates;
    private readonly LeaderElectionOptions _leaderElection;
    private readonly ILeadershipLossHandler _lossHandler;
    private readonly ControllerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ILeaderLock? _leaderLock;
    private volatile LeaderElector? _elector;
    private volatile bool _isLeader;

    public ControllerManager(
        IServiceProvider services,
        IEnumerable<ControllerRegistration> registrations,
        IEnumerable<IStartupGate> gates,
        IOptions<LeaderElectionOptions> leaderElection,
        IOptionsMonitor<ControllerOptions> controllerOptions,
        ILeadershipLossHandler lossHandler,
        ControllerMetrics metrics,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _services = services;
        _gates = [.. gates];
        _leaderElection = leaderElection.Value;
        _lossHandler = lossHandler;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ControllerManager>();

        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var controllerLogger = loggerFactory.CreateLogger<Controller>();
        var list = new List<Controller>();
        foreach (var registration in registrations)
        {
            if (list.Exists(c => string.Equals(c.Name, registration.Name, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"Two controllers are named '{registration.Name}'; controller names must be unique.");
            }

            var sources = registration.Sources.ConvertAll(factory => factory(services));
            var reconcilerType = registration.ReconcilerType;
            list.Add(new Controller(
                registration.Name,
                (request, cancellationToken) => ReconcileInScopeAsync(scopes, reconcilerType, request, cancellationToken),
                controllerOptions.Get(registration.Name),
                sources,
                timeProvider,
                metrics,
                controllerLogger));
        }

        _controllers = [.. list];
    }

    public bool IsReady => _ready.Task.IsCompleted;

    public bool IsLeader => _isLeader;

    public string? CurrentLeader => _leaderElection.Enabled ? _elector?.CurrentLeader : (_isLeader ? _leaderElection.Identity : null);

    public IReadOnlyList<IController> Controllers => _controllers;

    public IController GetController(string name)
        => Array.Find(_controllers, c => string.Equals(c.Name, name, StringComparison.Ordinal))
            ?? throw new KeyNotFoundException($"No controller is named '{name}'. Registered: {string.Join(", ", _controllers.Select(c => c.Name))}.");

    public IReadOnlyList<ControllerHealth> CheckHealth()
        => Array.ConvertAll(_controllers, c => c switch
        {
            { SourceFailure: { } failure } => new ControllerHealth(c.Name, ControllerState.SourceFailed, failure),
            _ when !IsReady => new ControllerHealth(c.Name, ControllerState.WaitingForCaches, "waiting for the informer caches to sync"),
            { IsRunning: true } => new ControllerHealth(c.Name, ControllerState.Running, $"leading; {c.QueueLength} keys queued"),
            _ => new ControllerHealth(c.Name, ControllerState.Standby, CurrentLeader is { } leader ? $"standing by; {leader} leads" : "standing by; campaigning for leadership"),
        });

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_leaderElection.Enabled)
        {
            _leaderLock = _services.GetService<ILeaderLock>()
                ?? throw new InvalidOperationException(
                    "Leader election is enabled but no ILeaderLock is registered: call UseKubernetesLeaderLock() (or UseLeaderLock/UseInMemoryLeaderLock) on the builder returned by AddWasmMeshControllers, or set LeaderElectionOptions.Enabled to false for a single replica.");
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Array.ConvertAll(_gates, gate => WaitForGateAsync(gate, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _ready.TrySetResult();
        Log.Ready(_logger);

        if (!_leaderElection.Enabled)
        {
            Log.LeaderElectionDisabled(_logger);
            await LeadAsync(stoppingToken);
            return;
        }

        var elector = new LeaderElector(_leaderLock!, _leaderElection, _timeProvider, _loggerFactory.CreateLogger<LeaderElector>());
        _elector = elector;
        await elector.RunAsync(new LeaderElectionCallbacks { OnStartedLeading = LeadAsync }, stoppingToken);
        if (!stoppingToken.IsCancellationRequested)
        {
            _lossHandler.OnLeadershipLost(_leaderLock!.Description, elector.Identity);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _ready.TrySetCanceled();
    }

    private static async Task<ReconcileResult> ReconcileInScopeAsync(IServiceScopeFactory scopes, Type reconcilerType, ReconcileRequest request, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope)
        {
            var reconciler = (IReconciler)scope.ServiceProvider.GetRequiredService(reconcilerType);
            return await reconciler.ReconcileAsync(request, cancellationToken);
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _isLeader = true;
        _metrics.SetLeader(true);
        try
        {
            await Task.WhenAll(Array.ConvertAll(_controllers, c => c.RunAsync(cancellationToken)));

            // Controllers return only when cancelled; with none registered, still lead until then.
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped))
            {
                await stopped.Task;
            }
        }
        finally
        {
            _isLeader = false;
            _metrics.SetLeader(false);
        }
    }

    private async Task WaitForGateAsync(IStartupGate gate, CancellationToken cancellationToken)
    {
        Log.WaitingForGate(_logger, gate.Name);
        while (true)
        {
            try
            {
                await gate.WaitAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A failing gate is logged and waited for again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.GateFailed(_logger, ex, gate.Name, GateRetryDelay);
            }

            await Task.Delay(GateRetryDelay, _timeProvider, cancellationToken);
        }
    }
}
