namespace WasmMesh.TestSupport;

/// <summary>Locates the repository root, its test data and the reference fixtures beside the checkout.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The directory holding WasmMesh.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The reference proxy-wasm modules that sit beside the checkout (../shared/fixtures), or null when absent.</summary>
    public static string? SharedFixtures
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>The path of a reference fixture module; skips the calling test when the fixtures are absent.</summary>
    public static string Fixture(string fileName)
    {
        var dir = SharedFixtures;
        Xunit.Assert.SkipWhen(dir is null, "the reference fixtures (../shared/fixtures) are not beside this checkout");
        return Path.Combine(dir!, fileName);
    }

    /// <summary>The AssemblyScript add-header module (16973 bytes).</summary>
    public const string AddHeaderAs = "add-header.as.wasm";

    /// <summary>Its sha256.</summary>
    public const string AddHeaderAsSha256 = "523d11ed924b1a571947b888f51c51f50d8eaf3ab42114930cdfc8826b1c544d";

    /// <summary>The C add-header module (898 bytes).</summary>
    public const string AddHeaderC = "add-header.c.wasm";

    /// <summary>Its sha256.</summary>
    public const string AddHeaderCSha256 = "b2583a47b96c2bce16bf393ac10ea7cd12c975f25ca589fc43d158a06bdf4fa8";

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
