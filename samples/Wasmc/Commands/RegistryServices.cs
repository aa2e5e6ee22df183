using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>The service provider of one command run and the registry client it holds.</summary>
internal sealed class RegistryServices(ServiceProvider provider, IWasmRegistryClient client) : IAsyncDisposable
{
    public IWasmRegistryClient Client { get; } = client;

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
