using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Support;

/// <summary>Finds the samples this project builds first (ProjectReference without the assembly) in the same configuration.</summary>
internal static class BuildOutput
{
    /// <summary>The configuration this test assembly was built in (the directory above its target framework directory).</summary>
    public static string Configuration
        => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    /// <summary>The path of a sample's built assembly, e.g. samples/Wasmer/bin/Debug/net10.0/wasmer.dll.</summary>
    public static string Sample(string project, string assembly)
    {
        var path = Path.Combine(RepoPaths.Root, "samples", project, "bin", Configuration, "net10.0", assembly);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{assembly} is not built at {path}; build tests/WasmMesh.EndToEnd.Tests (it builds samples/{project} first)", path);
        }

        return path;
    }
}
