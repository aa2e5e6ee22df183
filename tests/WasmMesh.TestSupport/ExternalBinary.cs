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

    /// <summary>
    /// The full path of a program. When it is absent the calling test is skipped with a reason on a developer machine,
    /// and fails under continuous integration (<c>CI=true</c>), where every program the tests need must be installed.
    /// </summary>
    public static string Require(string name, string package) => Require(name, package, ContinuousIntegration.IsActive);

    /// <summary>As <see cref="Require(string, string)"/>, with the CI decision given explicitly.</summary>
    public static string Require(string name, string package, bool underCi)
    {
        var found = Find(name);
        if (found is not null)
        {
            return found;
        }

        var reason = $"'{name}' is not installed (apt-get install {package}); .ci/run installs it";
        if (underCi)
        {
            Xunit.Assert.Fail(reason + " — under CI=true a missing program fails the test instead of skipping it");
        }

        Xunit.Assert.Skip(reason);
        return null!;
    }
}
