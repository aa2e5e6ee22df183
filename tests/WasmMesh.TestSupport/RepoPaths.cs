namespace WasmMesh.TestSupport;

/// <summary>Locates the repository root and the test modules committed under <c>tests/Modules</c>.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The directory holding WasmMesh.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The directory of the test modules (WebAssembly text sources and the binaries built from them).</summary>
    public static string Modules => Path.Combine(Root, "tests", "Modules");

    /// <summary>The path of a committed test module; throws when it is missing (the repository is incomplete).</summary>
    public static string Fixture(string fileName)
    {
        var path = Path.Combine(Modules, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"test module {path} is missing; rebuild it with tests/Modules/build.sh", path);
        }

        return path;
    }

    /// <summary>A filter that reads its plugin configuration and adds <c>hello: &lt;configuration&gt;</c> (built from add-configured-header.wat).</summary>
    public const string AddConfiguredHeader = "add-configured-header.wasm";

    /// <summary>Its size in bytes.</summary>
    public const long AddConfiguredHeaderSize = 1168;

    /// <summary>Its sha256.</summary>
    public const string AddConfiguredHeaderSha256 = "c2c1925629b27d023caf64128e7cc06b6657bfcf83952b230f3867cad2016659";

    /// <summary>The smallest filter: adds <c>hello: world</c> (built from add-header.wat).</summary>
    public const string AddHeader = "add-header.wasm";

    /// <summary>Its size in bytes.</summary>
    public const long AddHeaderSize = 664;

    /// <summary>Its sha256.</summary>
    public const string AddHeaderSha256 = "97ab5c2eed65e7b08d7e0c3ae7c69e59fb0bccd34fad33ebe6a355b57068b491";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WasmMesh.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("WasmMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
