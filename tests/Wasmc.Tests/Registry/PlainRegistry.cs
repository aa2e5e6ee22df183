using WasmMesh.TestSupport;
using Xunit;

namespace Wasmc.Tests.Registry;

/// <summary>A docker-registry without auth.</summary>
public sealed class PlainRegistry : RegistryServerFixture;
