using System.Text;

namespace WasmMesh.TestSupport;

/// <summary>
/// Golden-file comparison following Verify's conventions: the expected file is compared byte for byte;
/// on mismatch the actual output is written beside it as <c>*.received.*</c> (git-ignored) and the test
/// fails. Set <c>WASMMESH_ACCEPT=1</c> (or <c>VERIFY_AUTOAPPROVE=1</c>) to accept received output — a local-only
/// action: under continuous integration (<c>CI=true</c>) accepting is refused and the test fails.
/// </summary>
public static class GoldenFile
{
    /// <summary>Whether received output is to be written over the golden files (local runs only).</summary>
    public static bool Accepting => Environment.GetEnvironmentVariable("WASMMESH_ACCEPT") is "1" or "true"
        || Environment.GetEnvironmentVariable("VERIFY_AUTOAPPROVE") is "1" or "true";

    /// <summary>
    /// Compares <paramref name="actual"/> with the file at <paramref name="expectedPath"/>, reading the accept and CI
    /// settings from the environment.
    /// </summary>
    public static void AssertMatches(string expectedPath, string actual) =>
        AssertMatches(expectedPath, actual, Accepting, ContinuousIntegration.IsActive);

    /// <summary>Compares <paramref name="actual"/> with the golden file, accepting it only when asked and not under CI.</summary>
    public static void AssertMatches(string expectedPath, string actual, bool accepting, bool underCi)
    {
        var received = ReceivedPath(expectedPath);
        var actualBytes = Encoding.UTF8.GetBytes(actual);
        if (accepting && underCi)
        {
            Xunit.Assert.Fail($"WASMMESH_ACCEPT/VERIFY_AUTOAPPROVE is set under CI=true: golden files are accepted only on a developer machine, never in CI ({expectedPath} left unchanged)");
        }

        if (accepting)
        {
            File.WriteAllBytes(expectedPath, actualBytes);
            File.Delete(received);
            return;
        }

        if (!File.Exists(expectedPath))
        {
            File.WriteAllBytes(received, actualBytes);
            Xunit.Assert.Fail($"no golden file {expectedPath}; received output written to {received} (set WASMMESH_ACCEPT=1 to accept)");
        }

        var expectedBytes = File.ReadAllBytes(expectedPath);
        if (!expectedBytes.AsSpan().SequenceEqual(actualBytes))
        {
            File.WriteAllBytes(received, actualBytes);
            Xunit.Assert.Fail($"output differs from {expectedPath}; received output written to {received} (diff them; set WASMMESH_ACCEPT=1 to accept)\n--- expected\n{Encoding.UTF8.GetString(expectedBytes)}\n--- received\n{actual}");
        }

        File.Delete(received);
    }

    public static string ReceivedPath(string expectedPath)
    {
        var dir = Path.GetDirectoryName(expectedPath)!;
        var name = Path.GetFileNameWithoutExtension(expectedPath);
        var ext = Path.GetExtension(expectedPath);
        if (name.EndsWith(".expected", StringComparison.Ordinal))
        {
            name = name[..^".expected".Length];
        }
        else if (name == "expected")
        {
            return Path.Combine(dir, "expected.received" + ext);
        }

        return Path.Combine(dir, name + ".received" + ext);
    }
}
