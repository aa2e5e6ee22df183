using k8s;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests;

public sealed class SupplyChainRegistrationTests
{
    [Fact]
    public async Task AddWasmMeshOperator_RegistersTheSignatureVerifierAndTheStoreAsModuleReferences()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IKubernetes>(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }));
        services.AddWasmMeshSources();
        services.AddWasmMeshOperator();
        await using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<AutoWasmSignatureVerifier>());
        Assert.Same(provider.GetRequiredService<AutoWasmStore>(), provider.GetRequiredService<IWasmModuleReferences>());
        Assert.NotNull(provider.GetRequiredService<ISecretDataReader>());
    }
}
