using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WasmMesh.Controllers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WasmMesh controller manager.</summary>
public static class WasmMeshControllersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the controller manager (a hosted service, also resolvable as <see cref="IControllerManager"/>),
    /// <see cref="LeaderElectionOptions"/> (validated at start), the default <see cref="ILeadershipLossHandler"/>
    /// (exit code 1) and <see cref="TimeProvider.System"/> unless already registered. Calling it again adds nothing
    /// but the configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureLeaderElection">Configures leader election; a leader lock must be chosen on the builder unless it is disabled.</param>
    /// <returns>A builder to add controllers, startup gates and the leader lock.</returns>
    public static WasmMeshControllersBuilder AddWasmMeshControllers(this IServiceCollection services, Action<LeaderElectionOptions>? configureLeaderElection = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var leaderElection = services.AddOptions<LeaderElectionOptions>();
        if (configureLeaderElection is not null)
        {
            leaderElection.Configure(configureLeaderElection);
        }

        if (!services.Any(d => d.ServiceType == typeof(ControllerManager)))
        {
            leaderElection.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeaderElectionOptions>, LeaderElectionOptionsValidator>());
            WasmMeshControllersBuilder.ValidateControllerOptions(services);
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(sp => new ControllerMetrics(sp.GetService<IMeterFactory>()));
            services.TryAddSingleton<ILeadershipLossHandler, ExitOnLeadershipLoss>();
            services.AddSingleton<ControllerManager>();
            services.AddSingleton<IControllerManager>(sp => sp.GetRequiredService<ControllerManager>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ControllerManager>());
        }

        return new WasmMeshControllersBuilder(services);
    }
}
