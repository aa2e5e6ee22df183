[assembly: Xunit.AssemblyFixture(typeof(WasmMesh.FaultTests.FaultMesh))]
