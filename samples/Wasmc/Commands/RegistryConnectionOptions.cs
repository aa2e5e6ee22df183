using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WasmMesh.Oci;

namespace Wasmc.Commands;

/// <summary>The options every registry command shares, and the services built from them.</summary>
internal sealed class RegistryConnectionOptions
{
    public Option<bool> PlainHttp { get; } = new("--plain-http") { Description = "use plain HTTP for the registry (loopback registries fall back to it without this flag)" };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "do not verify the registry's TLS certificate, and allow plain HTTP" };

    public Option<string?> CaFile { get; } = new("--ca-file") { Description = "PEM file of CA certificates to trust for the registry" };

    public Option<string?> RegistryConfig { get; } = new("--registry-config") { Description = "docker config.json holding credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json)" };

    public Option<string?> Mirrors { get; } = new("--mirrors") { Description = "ImageDigestMirrorSet/ImageTagMirrorSet objects (YAML or JSON) to pull through" };

    public Option<string?> HostsDir { get; } = new("--hosts-dir") { Description = "containerd hosts directory (DIR/<host>/hosts.toml) to pull through" };

    public void AddTo(Command command)
    {
        command.Options.Add(PlainHttp);
        command.Options.Add(Insecure);
        command.Options.Add(CaFile);
        command.Options.Add(RegistryConfig);
    }

    public string ConfigPath(ParseResult parse) => parse.GetValue(RegistryConfig) ?? DockerConfigCredentials.DefaultPath;

    /// <summary>Builds the client: credentials from the docker config, TLS and HTTP options from the flags.</summary>
    public async Task<RegistryServices> BuildAsync(ParseResult parse, string registry, CancellationToken cancellationToken)
    {
        var caFile = parse.GetValue(CaFile);
        if (caFile is not null && !File.Exists(caFile))
        {
            throw new UsageException($"--ca-file: '{caFile}' does not exist");
        }

        if (caFile is not null && OciClientOptions.CaFileProblem(caFile) is { } caProblem)
        {
            throw new UsageException($"--ca-file: {caProblem}");
        }

        var mirrors = await MirrorOptions.LoadAsync(parse.GetValue(Mirrors), parse.GetValue(HostsDir), cancellationToken);
        var credentials = await DockerConfigCredentials.LoadAsync(ConfigPath(parse), cancellationToken);
        var services = new ServiceCollection();
        services.AddSingleton<IRegistryCredentialProvider>(credentials);
        services.AddWasmMeshOci(o =>
        {
            o.PlainHttp = parse.GetValue(PlainHttp);
            o.CaFile = caFile;
            if (parse.GetValue(Insecure))
            {
                o.InsecureRegistries.Add(registry);
            }
        });
        if (!mirrors.IsEmpty)
        {
            services.AddWasmMeshOciMirrors(mirrors);
        }

        var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<OciClientOptions>>().Value;
            return new RegistryServices(provider, provider.GetRequiredService<IWasmRegistryClient>());
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }
}
