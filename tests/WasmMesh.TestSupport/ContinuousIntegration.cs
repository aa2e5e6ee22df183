namespace WasmMesh.TestSupport;

/// <summary>Whether the tests run under continuous integration (<c>CI=true</c>, as GitHub Actions, GitLab and .ci/run set).</summary>
public static class ContinuousIntegration
{
    /// <summary>True when the <c>CI</c> environment variable is <c>true</c> or <c>1</c> (any case).</summary>
    public static bool IsActive => IsSet(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Whether a value of the <c>CI</c> variable means "running under CI".</summary>
    public static bool IsSet(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
