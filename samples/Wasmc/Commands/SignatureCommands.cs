using System.CommandLine;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>The signature commands: generate-key, sign, verify (cosign-compatible, offline with a public key).</summary>
internal static class SignatureCommands
{
    /// <summary>The environment variable holding the private key's password, as cosign reads it.</summary>
    public const string PasswordVariable = "COSIGN_PASSWORD";

    public static IEnumerable<Command> Create(CliConsole console)
    {
        yield return GenerateKey(console);
        yield return Sign(console);
        yield return Verify(console);
    }

    private static Command GenerateKey(CliConsole console)
    {
        var prefix = new Option<string>("--output-key-prefix") { Description = "write PREFIX.key and PREFIX.pub", DefaultValueFactory = _ => "cosign" };
        var command = new Command("generate-key", $"Write an ECDSA P-256 key pair: PREFIX.key (PKCS#8 PEM, encrypted when ${PasswordVariable} is set) and PREFIX.pub (PKIX PEM, as cosign.pub).") { prefix };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var name = parse.GetValue(prefix)!;
            var privatePath = name + ".key";
            var publicPath = name + ".pub";
            foreach (var path in new[] { privatePath, publicPath })
            {
                if (File.Exists(path))
                {
                    throw new UsageException($"'{path}' already exists; remove it or choose another --output-key-prefix");
                }
            }

            var pair = SigningKeys.Generate(Environment.GetEnvironmentVariable(PasswordVariable));
            await WriteNewFileAsync(privatePath, pair.PrivateKeyPem, secret: true, cancellationToken);
            await WriteNewFileAsync(publicPath, pair.PublicKeyPem, secret: false, cancellationToken);
            await console.Out.WriteLineAsync($"Private key written to {privatePath}");
            await console.Out.WriteLineAsync($"Public key written to {publicPath}");
            await console.Out.WriteLineAsync($"Key id: {pair.KeyId}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Sign(CliConsole console)
    {
        var reference = new Argument<string>("reference") { Description = "the module to sign (a tag is resolved to its digest first)" };
        var key = new Option<string>("--key") { Description = $"private key PEM (PKCS#8, EC or RSA; password from ${PasswordVariable})", Required = true };
        var connection = new RegistryConnectionOptions();
        var command = new Command("sign", "Sign a module as cosign does (simple signing, tag sha256-<hex>.sig) and push the signature beside it.") { reference, key };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var target = CommandRunner.ParseReference(parse.GetValue(reference)!);
            var keyPath = parse.GetValue(key)!;
            using var signingKey = SigningKeys.LoadPrivateKey(await ReadKeyFileAsync(keyPath, "--key", cancellationToken), Environment.GetEnvironmentVariable(PasswordVariable), keyPath);
            await using var services = await connection.BuildAsync(parse, target.Registry, cancellationToken);
            var result = await services.Get<IModuleSignatureClient>().SignAsync(target, signingKey, cancellationToken: cancellationToken);
            await console.Out.WriteLineAsync($"Signed {result.Reference}");
            await console.Out.WriteLineAsync($"Signature: {result.SignatureReference}");
            await console.Out.WriteLineAsync($"Key id: {result.KeyId}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Verify(CliConsole console)
    {
        var reference = new Argument<string>("reference") { Description = "the module to verify" };
        var keys = new Option<string[]>("--key") { Description = "trusted public key PEM, e.g. cosign.pub (repeatable: any one may verify)", Required = true, AllowMultipleArgumentsPerToken = false };
        var connection = new RegistryConnectionOptions();
        var command = new Command("verify", "Verify a module's cosign signature offline with public keys (simple signing, or a sigstore bundle referrer).") { reference, keys };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var target = CommandRunner.ParseReference(parse.GetValue(reference)!);
            var loaded = new List<VerificationKey>();
            try
            {
                foreach (var path in parse.GetValue(keys) ?? [])
                {
                    loaded.Add(SigningKeys.LoadPublicKey(await ReadKeyFileAsync(path, "--key", cancellationToken), path));
                }

                await using var services = await connection.BuildAsync(parse, target.Registry, cancellationToken);
                var result = await services.Get<IModuleSignatureClient>().VerifyAsync(target, loaded, cancellationToken: cancellationToken);
                await console.Out.WriteLineAsync($"Verified {result.Reference}");
                await console.Out.WriteLineAsync($"Format: {(result.Format == SignatureFormat.SimpleSigning ? "cosign simple signing" : "sigstore bundle (DSSE)")}");
                await console.Out.WriteLineAsync($"Key id: {result.KeyId} ({result.KeySource})");
                await console.Out.WriteLineAsync($"Signature: {result.SignatureManifestDigest}");
                if (result.SignedIdentity is { } identity)
                {
                    await console.Out.WriteLineAsync($"Signed identity: {identity}");
                }

                return ExitCodes.Success;
            }
            finally
            {
                foreach (var k in loaded)
                {
                    k.Dispose();
                }
            }
        }));
        return command;
    }

    private static async Task<string> ReadKeyFileAsync(string path, string option, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{option}: '{path}' does not exist");
        }

        var info = new FileInfo(path);
        if (info.Length > 64 * 1024)
        {
            throw new UsageException($"{option}: '{path}' is {info.Length} bytes; a PEM key file is a few hundred bytes");
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    private static async Task WriteNewFileAsync(string path, string text, bool secret, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream)
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken);
        }
    }
}
