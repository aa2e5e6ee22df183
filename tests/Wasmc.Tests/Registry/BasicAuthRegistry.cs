using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>A docker-registry with htpasswd Basic auth.</summary>
public sealed class BasicAuthRegistry : RegistryServerFixture
{
    protected override RegistryServerOptions Options => new() { Htpasswd = true };
}
