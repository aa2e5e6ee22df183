using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WasmMesh.Controllers;
using Xunit;

namespace WasmMesh.Operator.Tests;

public sealed class OperatorRegistrationTests
{
    [Fact]
    public void AddWasmMeshOperator_Workers_FlowIntoTheControllerOptions()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWasmMeshOperator(o => o.Workers = 7);
        using var provider = services.BuildServiceProvider();

        var controller = provider.GetRequiredService<IOptionsMonitor<ControllerOptions>>().Get(OperatorServiceCollectionExtensions.ControllerName);

        Assert.Equal(7, controller.MaxConcurrentReconciles);
    }

    [Fact]
    public void AddWasmMeshOperator_InvalidOptions_AreRejected()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWasmMeshOperator(o => o.TagResolveInterval = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AutoWasmOperatorOptions>>().Value);
        Assert.Contains("TagResolveInterval", e.Message, StringComparison.Ordinal);
    }
}
