using System.Text;

namespace WasmMesh.TestSupport;

/// <summary>
/// Golden-file comparison following Verify's conventions: the expected file is compared byte for byte;
/// on mismatch the actual output is written beside it as <c>*.received.*</c> (git-ignored) and the test
/// fails. Set <c>WASMMESH_ACCEPT=1</c> (or <c>VERIFY_AUTOAPPROVE=1</c>) to accept received output.
/// </summary>
public static class GoldenFile
{
    public static bool Accepting =>
        Environment.GetEnvironmentVariable("WASMMESH_ACCEPT") is "1" or "true"
        || Environment.GetEnvironmentVariable("VERIFY_AUTOAPPROVE") is "1" or "true";

    /// <summary>Compares <paramref name="actual"/> with the file at <paramref name="expectedPath"/>.</summary>
    public static void AssertMatches(string expectedPath, string actual)
    {
        var received = ReceivedPath(expectedPath);
        var actualBytes = Encoding.UTF8.GetBytes(actual);
        if (Accepting)
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
