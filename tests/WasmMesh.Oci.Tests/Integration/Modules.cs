namespace WasmMesh.Oci.Tests.Integration;

/// <summary>Module files for integration tests.</summary>
internal static class Modules
{
    public static TheoryData<string, WasmPushFormat> FixturesAndFormats => new()
    {
        { RepoPaths.AddConfiguredHeader, WasmPushFormat.Image },
        { RepoPaths.AddConfiguredHeader, WasmPushFormat.Artifact },
        { RepoPaths.AddHeader, WasmPushFormat.Image },
        { RepoPaths.AddHeader, WasmPushFormat.Artifact },
    };

    public static string Sha256Of(string fixture) => fixture == RepoPaths.AddConfiguredHeader ? RepoPaths.AddConfiguredHeaderSha256 : RepoPaths.AddHeaderSha256;

    public static string Repository(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    /// <summary>Pushes, pulls into a file, and checks the round trip is byte-identical.</summary>
    public static async Task<(WasmPushResult Push, WasmFileResult File, WasmLayout Layout)> RoundTripAsync(IWasmRegistryClient client, string host, string file, WasmPushFormat format, RegistryCredentials? credentials = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var reference = ImageReference.Parse($"{host}/team/{Repository("rt")}:v1");
        var push = await client.PushAsync(reference, file, new WasmPushOptions { Format = format, Credentials = credentials }, null, ct);
        using var dir = new TempDirectory();
        await using var pull = await client.PullAsync(reference, credentials, ct);
        var saved = await pull.SaveToFileAsync(Path.Combine(dir.Path, "filter.wasm"), null, ct);
        Assert.Equal(await File.ReadAllBytesAsync(file, ct), await File.ReadAllBytesAsync(saved.Path, ct));
        Assert.Equal(push.ManifestDigest, pull.ManifestDigest);
        Assert.Equal(push.WasmSha256, saved.Sha256);
        return (push, saved, pull.Layout);
    }
}
