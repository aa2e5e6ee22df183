using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>A docker-registry over HTTPS with a throw-away CA.</summary>
public sealed class TlsRegistry : RegistryServerFixture
{
    protected override RegistryServerOptions Options => new() { Tls = true };
}
