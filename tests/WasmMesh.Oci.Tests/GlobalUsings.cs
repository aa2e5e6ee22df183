global using WasmMesh.TestSupport;
global using Xunit;
