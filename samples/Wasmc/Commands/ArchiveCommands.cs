using System.CommandLine;
using WasmMesh;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>The air-gap commands: save (registry to OCI image layout tar) and load (tar or layout directory to registry).</summary>
internal static class ArchiveCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        yield return Save(console);
        yield return Load(console);
    }

    private static Command Save(CliConsole console)
    {
        var references = new Argument<string[]>("reference") { Description = "modules to save, e.g. registry.example.com/team/filter:v1", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "the tar file to write (an OCI image layout, as skopeo oci-archive: and oras backup use)", Required = true };
        var withSignatures = new Option<bool>("--with-signatures") { Description = "also save cosign signatures (sha256-<hex>.sig) and sigstore bundle referrers" };
        var connection = new RegistryConnectionOptions();
        var command = new Command("save", "Save modules (and optionally their signatures) from a registry into an OCI image layout tar.") { references, output, withSignatures };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var targets = (parse.GetValue(references) ?? []).Select(CommandRunner.ParseReference).ToList();
            var path = parse.GetValue(output)!;
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"--output: the directory '{directory}' does not exist");
            }

            if (Directory.Exists(path))
            {
                throw new UsageException($"--output: '{path}' is a directory; give a file name such as modules.tar");
            }

            await using var services = await connection.BuildAsync(parse, targets[0].Registry, cancellationToken);
            var result = await services.Get<IOciArchiveClient>().SaveAsync(targets, path, parse.GetValue(withSignatures), cancellationToken);
            foreach (var entry in result.Entries)
            {
                await console.Out.WriteLineAsync($"Saved {entry.Tag ?? "(untagged)"} {entry.Digest}");
            }

            await console.Out.WriteLineAsync($"Wrote {path}: {result.BlobCount} blobs, {result.Bytes} bytes");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Load(CliConsole console)
    {
        var archive = new Argument<string>("archive") { Description = "an OCI image layout tar (wasmc save, skopeo oci-archive:, oras backup) or layout directory" };
        var to = new Option<string>("--to") { Description = "the target repository, e.g. registry.internal/team/filter (tags come from the archive)", Required = true };
        var connection = new RegistryConnectionOptions();
        var command = new Command("load", "Push every module, tag and signature of an OCI image layout into one repository, preserving digests.") { archive, to };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var path = parse.GetValue(archive)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException($"'{path}' does not exist");
            }

            var text = parse.GetValue(to)!;
            if (!ImageReference.TryParse(text, out var target, out var error))
            {
                throw new UsageException($"--to: {error}");
            }

            if (target.Digest is not null || text.LastIndexOf(':') > text.LastIndexOf('/'))
            {
                throw new UsageException($"--to: '{text}' names a tag or digest; give only the repository (tags come from the archive)");
            }

            await using var services = await connection.BuildAsync(parse, target.Registry, cancellationToken);
            var result = await services.Get<IOciArchiveClient>().LoadAsync(path, target, cancellationToken);
            var repository = $"{target.Registry}/{target.Repository}";
            foreach (var entry in result.Entries)
            {
                await console.Out.WriteLineAsync(entry.Tag is null ? $"Loaded {repository}@{entry.Digest}" : $"Loaded {repository}:{entry.Tag}@{entry.Digest}");
            }

            await console.Out.WriteLineAsync($"Pushed {result.BlobCount} blobs, {result.Bytes} bytes");
            return ExitCodes.Success;
        }));
        return command;
    }
}
