[assembly: Xunit.AssemblyFixture(typeof(WasmMesh.EndToEnd.Tests.Infrastructure.SharedMesh))]
