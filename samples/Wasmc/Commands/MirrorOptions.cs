using System.CommandLine;
using WasmMesh.Model.Yaml;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>Reads --mirrors (ImageDigestMirrorSet/ImageTagMirrorSet YAML or JSON) and --hosts-dir (containerd hosts.toml directory).</summary>
internal static class MirrorOptions
{
    private const long MaxFileSize = 1024 * 1024;

    /// <summary>Adds --mirrors and --hosts-dir to a command that reads from registries.</summary>
    public static void AddTo(Command command, RegistryConnectionOptions connection)
    {
        command.Options.Add(connection.Mirrors);
        command.Options.Add(connection.HostsDir);
    }

    public static async Task<MirrorConfiguration> LoadAsync(string? mirrorsFile, string? hostsDirectory, CancellationToken cancellationToken)
    {
        var configuration = MirrorConfiguration.Empty;
        if (mirrorsFile is not null)
        {
            if (!File.Exists(mirrorsFile))
            {
                throw new UsageException($"--mirrors: '{mirrorsFile}' does not exist");
            }

            if (new FileInfo(mirrorsFile).Length > MaxFileSize)
            {
                throw new UsageException($"--mirrors: '{mirrorsFile}' is larger than 1 MiB");
            }

            var text = await File.ReadAllTextAsync(mirrorsFile, cancellationToken);
            IReadOnlyList<YamlDocument> documents;
            try
            {
                documents = YamlJsonReader.Read(text, mirrorsFile);
            }
            catch (YamlReadException e)
            {
                throw new UsageException($"--mirrors: {e.Message}");
            }

            configuration = MirrorConfiguration.FromMirrorSets(documents.Select(d => d.Root), mirrorsFile);
        }

        if (hostsDirectory is not null)
        {
            if (!Directory.Exists(hostsDirectory))
            {
                throw new UsageException($"--hosts-dir: '{hostsDirectory}' is not a directory");
            }

            configuration = configuration.Merge(MirrorConfiguration.FromHostsDirectory(hostsDirectory));
        }

        return configuration;
    }
}
