using WasmMesh.Model.Yaml;
using WasmMesh.Oci;

namespace Wasmer;

/// <summary>Reads the mirror settings (<c>MirrorsFile</c>, <c>MirrorHostsDirectory</c>) into one configuration.</summary>
internal static class WasmerMirrors
{
    private const long MaxFileSize = 1024 * 1024;

    /// <summary>The configured mirrors, or the problems that make them unusable (each naming the setting).</summary>
    public static async Task<(MirrorConfiguration Mirrors, IReadOnlyList<string> Problems)> LoadAsync(WasmerOptions settings, CancellationToken cancellationToken)
    {
        var mirrors = MirrorConfiguration.Empty;
        if (settings.MirrorsFile is { Length: > 0 } file)
        {
            try
            {
                if (new FileInfo(file).Length > MaxFileSize)
                {
                    return (mirrors, [$"{WasmerSettings.Section}:MirrorsFile: '{file}' is larger than 1 MiB"]);
                }

                var documents = YamlJsonReader.Read(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
                mirrors = MirrorConfiguration.FromMirrorSets(documents.Select(d => d.Root), file);
            }
            catch (Exception e) when (e is YamlReadException or MirrorConfigurationException or IOException or UnauthorizedAccessException)
            {
                return (mirrors, [$"{WasmerSettings.Section}:MirrorsFile: {e.Message}"]);
            }
        }

        if (settings.MirrorHostsDirectory is { Length: > 0 } directory)
        {
            try
            {
                mirrors = mirrors.Merge(MirrorConfiguration.FromHostsDirectory(directory));
            }
            catch (Exception e) when (e is MirrorConfigurationException or IOException or UnauthorizedAccessException)
            {
                return (mirrors, [$"{WasmerSettings.Section}:MirrorHostsDirectory: {e.Message}"]);
            }
        }

        return (mirrors, []);
    }
}
