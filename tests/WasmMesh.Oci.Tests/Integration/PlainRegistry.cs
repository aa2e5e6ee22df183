namespace WasmMesh.Oci.Tests.Integration;

/// <summary>A docker-registry without auth, over plain HTTP on 127.0.0.1.</summary>
public sealed class PlainRegistry : RegistryServerFixture;
