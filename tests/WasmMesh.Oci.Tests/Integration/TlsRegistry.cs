namespace WasmMesh.Oci.Tests.Integration;

/// <summary>A docker-registry over HTTPS with a certificate from a throw-away CA.</summary>
public sealed class TlsRegistry : RegistryServerFixture
{
    protected override RegistryServerOptions Options => new() { Tls = true };
}
