using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace WasmMesh.Oci;

/// <summary>Reads one containerd <c>hosts.toml</c>: <c>server</c> and <c>[host."URL"]</c> tables with <c>capabilities</c>.</summary>
internal static class HostsToml
{
    private const long MaxFileSize = 1024 * 1024;

    public static MirrorConfiguration.HostsFile Read(string path, string? registry)
    {
        if (new FileInfo(path).Length > MaxFileSize)
        {
            throw new MirrorConfigurationException(path, "larger than 1 MiB");
        }

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(File.ReadAllText(path), HostsTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new MirrorConfigurationException(path, $"not valid TOML ({e.Message.ReplaceLineEndings(" ").Trim()})", e);
        }

        MirrorHost? server = null;
        if (table.TryGetValue("server", out var serverValue))
        {
            server = serverValue is string url
                ? Host(path, "server", url, null)
                : throw new MirrorConfigurationException(path, "server must be a URL string, e.g. server = \"https://registry.example.com\"");
        }

        var hosts = new List<MirrorHost>();
        if (table.TryGetValue("host", out var hostValue))
        {
            if (hostValue is not TomlTable hostTable)
            {
                throw new MirrorConfigurationException(path, "host must be a table of [host.\"https://mirror\"] sections");
            }

            foreach (var (url, value) in hostTable)
            {
                if (value is not TomlTable settings)
                {
                    throw new MirrorConfigurationException(path, $"host.\"{url}\" must be a table");
                }

                hosts.Add(Host(path, $"host.\"{url}\"", url, settings));
            }
        }

        if (server is null && registry is null && hosts.Count == 0)
        {
            throw new MirrorConfigurationException(path, "declares neither server nor any host");
        }

        return new MirrorConfiguration.HostsFile(hosts, server);
    }

    private static MirrorHost Host(string path, string where, string url, TomlTable? settings)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query))
        {
            throw new MirrorConfigurationException(path, $"{where}: '{url}' is not an http(s) URL");
        }

        if (uri.AbsolutePath is not ("/" or "/v2" or "/v2/"))
        {
            throw new MirrorConfigurationException(path, $"{where}: the path '{uri.AbsolutePath}' is not supported; mirrors are addressed at /v2/ of their host");
        }

        var canPull = true;
        var canResolve = true;
        var skipVerify = false;
        if (settings is not null)
        {
            if (settings.TryGetValue("capabilities", out var capabilities))
            {
                if (capabilities is not TomlArray list || list.Any(c => c is not string))
                {
                    throw new MirrorConfigurationException(path, $"{where}: capabilities must be a list of \"pull\", \"resolve\", \"push\"");
                }

                var names = list.Cast<string>().ToList();
                var unknown = names.FirstOrDefault(n => n is not ("pull" or "resolve" or "push"));
                if (unknown is not null)
                {
                    throw new MirrorConfigurationException(path, $"{where}: capability '{unknown}' is not pull, resolve or push");
                }

                canPull = names.Contains("pull");
                canResolve = names.Contains("resolve");
            }

            if (settings.TryGetValue("skip_verify", out var skip))
            {
                skipVerify = skip is bool b ? b : throw new MirrorConfigurationException(path, $"{where}: skip_verify must be true or false");
            }

            if (settings.TryGetValue("override_path", out var overridePath) && overridePath is true)
            {
                throw new MirrorConfigurationException(path, $"{where}: override_path is not supported; mirrors are addressed at /v2/ of their host");
            }
        }

        return new MirrorHost(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", uri.Scheme == "http", canPull, canResolve, skipVerify);
    }
}

/// <summary>Source-generated TOML metadata (no reflection, trimming- and AOT-safe).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class HostsTomlContext : TomlSerializerContext;
