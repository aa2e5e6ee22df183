using System.CommandLine;
using WasmMesh;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>The registry commands: push, pull, login, logout, inspect.</summary>
internal static class RegistryCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        yield return Push(console);
        yield return Pull(console);
        yield return Login(console);
        yield return Logout(console);
        yield return Inspect(console);
    }

    private static Command Push(CliConsole console)
    {
        var reference = new Argument<string>("reference") { Description = "where to push, e.g. registry.example.com/team/filter:v1" };
        var file = new Option<string>("--file", "-f") { Description = "the wasm module to push", Required = true };
        var format = new Option<string>("--format") { Description = "image (compat OCI image, read by Istio, Envoy Gateway and docker) or artifact (wasme two-layer shape)", DefaultValueFactory = _ => "image" };
        format.AcceptOnlyFromAmong("image", "artifact");
        var annotations = new Option<string[]>("--annotation", "-a") { Description = "manifest annotation key=value (repeatable)" };
        var connection = new RegistryConnectionOptions();
        var command = new Command("push", "Push a wasm module to an OCI registry.") { reference, file, format, annotations };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var target = CommandRunner.ParseReference(parse.GetValue(reference)!);
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"--file: '{path}' does not exist");
            }

            var annotationMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(annotations) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"--annotation: '{pair}' is not key=value");
                }

                annotationMap[pair[..eq]] = pair[(eq + 1)..];
            }

            var options = new WasmPushOptions
            {
                Format = parse.GetValue(format) == "artifact" ? WasmPushFormat.Artifact : WasmPushFormat.Image,
                Annotations = annotationMap,
            };
            try
            {
                await PreflightWarnings.WriteAsync(console, path, await WasmModuleInspector.InspectFileAsync(path, cancellationToken));
            }
            catch (InvalidWasmModuleException)
            {
                // Not a module at all: the push below refuses it with the reason.
            }

            await using var services = await connection.BuildAsync(parse, target.Registry, cancellationToken);
            var result = await TransferProgressView.RunAsync(console, $"push {target}", new FileInfo(path).Length, progress =>
                services.Client.PushAsync(target, path, options, progress, cancellationToken));
            await console.Out.WriteLineAsync($"Pushed {target}");
            await console.Out.WriteLineAsync($"Digest: {result.ManifestDigest}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Pull(CliConsole console)
    {
        var reference = new Argument<string>("reference") { Description = "what to pull, e.g. registry.example.com/team/filter:v1 or …@sha256:…" };
        var output = new Option<string>("--output", "-o") { Description = "where to save the module: a FILE.wasm, or a directory to write filter.wasm into", DefaultValueFactory = _ => "." };
        var connection = new RegistryConnectionOptions();
        var command = new Command("pull", "Pull a wasm module from an OCI registry into FILE.wasm or DIR/filter.wasm (any known layout).") { reference, output };
        connection.AddTo(command);
        MirrorOptions.AddTo(command, connection);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var source = CommandRunner.ParseReference(parse.GetValue(reference)!);
            var location = PullLocation(parse.GetValue(output)!);
            await using var services = await connection.BuildAsync(parse, source.Registry, cancellationToken);
            await using var pull = await services.Client.PullAsync(source, null, cancellationToken);
            var saved = await TransferProgressView.RunAsync(console, $"pull {source}", pull.WasmSize, progress =>
                pull.SaveToFileAsync(location, progress, cancellationToken));
            await console.Out.WriteLineAsync($"Pulled {source}");
            await console.Out.WriteLineAsync($"Sha256: {saved.Sha256.Hex}");
            await console.Out.WriteLineAsync($"Location: {location}");
            if (pull.Reference.Registry != source.Registry || pull.Reference.Repository != source.Repository)
            {
                await console.Out.WriteLineAsync($"From: {pull.Reference}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Login(CliConsole console)
    {
        var registry = new Argument<string>("registry") { Description = "the registry host, e.g. registry.example.com or 127.0.0.1:5000" };
        var username = new Option<string>("--username", "-u") { Description = "user name", Required = true };
        var password = new Option<string?>("--password", "-p") { Description = "password (prefer --password-stdin)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from standard input" };
        var connection = new RegistryConnectionOptions();
        var command = new Command("login", "Check credentials against a registry and store them in docker's config.json.") { registry, username, password, passwordStdin };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var host = RegistryHost(parse.GetValue(registry)!);
            var fromStdin = parse.GetValue(passwordStdin);
            var given = parse.GetValue(password);
            if (fromStdin == (given is not null))
            {
                throw new UsageException("give exactly one of --password-stdin and --password");
            }

            string secret;
            if (fromStdin)
            {
                secret = (await console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
            }
            else
            {
                secret = given!;
                await console.Error.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }

            if (secret.Length == 0)
            {
                throw new UsageException("the password is empty");
            }

            var credentials = new RegistryCredentials(parse.GetValue(username)!, secret);
            await using var services = await connection.BuildAsync(parse, host, cancellationToken);
            await services.Client.CheckCredentialsAsync(host, credentials, cancellationToken);
            var config = await DockerConfigFile.LoadAsync(connection.ConfigPath(parse), cancellationToken);
            config.SetCredentials(host, credentials);
            await config.SaveAsync(cancellationToken);
            await console.Out.WriteLineAsync("Login Succeeded");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Logout(CliConsole console)
    {
        var registry = new Argument<string>("registry") { Description = "the registry host" };
        var connection = new RegistryConnectionOptions();
        var command = new Command("logout", "Remove a registry's credentials from docker's config.json.") { registry };
        command.Options.Add(connection.RegistryConfig);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var host = RegistryHost(parse.GetValue(registry)!);
            var config = await DockerConfigFile.LoadAsync(connection.ConfigPath(parse), cancellationToken);
            if (!config.RemoveCredentials(host))
            {
                await console.Out.WriteLineAsync($"Not logged in to {host}");
                return ExitCodes.Success;
            }

            await config.SaveAsync(cancellationToken);
            await console.Out.WriteLineAsync($"Removing login credentials for {host}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Inspect(CliConsole console)
    {
        var reference = new Argument<string>("reference") { Description = "what to inspect" };
        var connection = new RegistryConnectionOptions();
        var command = new Command("inspect", "Show a module's layout, media types, digests, size and proxy-wasm ABI without storing it.") { reference };
        connection.AddTo(command);
        MirrorOptions.AddTo(command, connection);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var source = CommandRunner.ParseReference(parse.GetValue(reference)!);
            await using var services = await connection.BuildAsync(parse, source.Registry, cancellationToken);
            var info = await services.Client.InspectAsync(source, null, cancellationToken);
            var lines = new List<(string, string)>
            {
                ("Reference", source.ToString()),
                ("Layout", info.Layout.ToString()),
                ("Manifest type", info.ManifestMediaType),
                ("Manifest digest", info.ManifestDigest.ToString()),
            };
            if (info.Reference.Registry != source.Registry || info.Reference.Repository != source.Repository)
            {
                lines.Insert(1, ("Fetched from", info.Reference.ToString()));
            }

            if (info.ImageManifestDigest is { } image)
            {
                lines.Add(("Image manifest", image.ToString()));
            }

            lines.Add(("Config type", info.ConfigMediaType));
            lines.Add(("Layer types", string.Join(", ", info.LayerMediaTypes)));
            lines.Add(("Wasm sha256", info.WasmSha256.Hex));
            lines.Add(("Size", $"{info.WasmSize} bytes"));
            lines.Add(("Proxy-wasm ABI", info.Module.ProxyAbiVersion ?? "none (not a proxy-wasm module)"));
            lines.Add(("Exports", string.Join(", ", info.Module.Exports)));
            foreach (var (name, value) in lines)
            {
                await console.Out.WriteLineAsync($"{name + ":",-17}{value}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string RegistryHost(string text)
    {
        var host = DockerConfigCredentials.NormalizeRegistry(text);
        if (host.Length == 0 || !ImageReference.TryParse($"{host}/probe", out var parsed) || !string.Equals(parsed.Registry, host, StringComparison.OrdinalIgnoreCase) && host != ImageReference.DockerHubRegistry)
        {
            throw new UsageException($"'{text}' is not a registry host; write e.g. registry.example.com or 127.0.0.1:5000");
        }

        return host;
    }

    /// <summary>
    /// Where pull -o saves the module: an existing directory, or a path ending in a separator, gets filter.wasm inside
    /// it; a path ending in .wasm is the file itself; any other new path is a directory to create.
    /// </summary>
    internal static string PullLocation(string output)
    {
        if (Directory.Exists(output) || output.EndsWith(Path.DirectorySeparatorChar) || output.EndsWith(Path.AltDirectorySeparatorChar))
        {
            return Path.Combine(output, "filter.wasm");
        }

        return output.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase) ? output : Path.Combine(output, "filter.wasm");
    }
}
