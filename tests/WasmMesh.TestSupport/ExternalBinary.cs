namespace WasmMesh.TestSupport;

/// <summary>Finds external programs the integration tests run (docker-registry, skopeo, kubectl, …).</summary>
public static class ExternalBinary
{
    /// <summary>The full path of a program on PATH (or an absolute path that exists), or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The full path of a program; skips the calling test with a reason when it is absent.</summary>
    public static string Require(string name, string package)
    {
        var found = Find(name);
        Xunit.Assert.SkipWhen(found is null, $"'{name}' is not installed (apt-get install {package}); .ci/run installs it");
        return found!;
    }
}
