using Microsoft.Extensions.Options;

namespace WasmMesh.Oci;

/// <summary>Checks <see cref="OciClientOptions"/> at start.</summary>
internal sealed class OciClientOptionsValidator : IValidateOptions<OciClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OciClientOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBlobSize <= 0)
        {
            failures.Add($"{nameof(OciClientOptions.MaxBlobSize)} must be positive, got {options.MaxBlobSize}");
        }

        if (options.MaxManifestSize <= 0)
        {
            failures.Add($"{nameof(OciClientOptions.MaxManifestSize)} must be positive, got {options.MaxManifestSize}");
        }

        if (options.UploadChunkSize <= 0 || options.MonolithicUploadLimit <= 0)
        {
            failures.Add($"{nameof(OciClientOptions.UploadChunkSize)} and {nameof(OciClientOptions.MonolithicUploadLimit)} must be positive");
        }

        foreach (var (setting, value) in new[] { (nameof(OciClientOptions.ConnectTimeout), options.ConnectTimeout), (nameof(OciClientOptions.ResponseHeaderTimeout), options.ResponseHeaderTimeout), (nameof(OciClientOptions.IdleReadTimeout), options.IdleReadTimeout) })
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                failures.Add($"{setting} must be positive (or infinite), got {value}");
            }
        }

        if (options.CaFile is { } ca && !File.Exists(ca))
        {
            failures.Add($"{nameof(OciClientOptions.CaFile)} '{ca}' does not exist; give a PEM file of CA certificates");
        }
        else if (options.CaFile is { } pem && OciClientOptions.CaFileProblem(pem) is { } problem)
        {
            failures.Add($"{nameof(OciClientOptions.CaFile)} {problem}");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            failures.Add($"{nameof(OciClientOptions.UserAgent)} must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
