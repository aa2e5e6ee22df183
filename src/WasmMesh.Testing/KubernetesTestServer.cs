using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;
using WasmMesh.Testing.Server;

namespace WasmMesh.Testing;

/// <summary>
/// An in-process Kubernetes API server for tests and local development — <b>not</b> a real cluster: no
/// scheduler, no pods, no admission or RBAC, and CRD schemas are not validated. It serves discovery,
/// Namespaces, Secrets, ConfigMaps, Events, Leases and CustomResourceDefinitions (applying a CRD serves its
/// resource) with the semantics controllers and <c>kubectl</c> rely on: resource versions, optimistic
/// concurrency, watches with bookmarks and 410 Gone, label and field selectors, status subresources,
/// generation, merge/JSON/strategic/server-side-apply patches with field ownership, finalizers, owner
/// garbage collection and Table output from printer columns. It listens on 127.0.0.1 only.
/// </summary>
/// <example>
/// <code>
/// await using var server = new KubernetesTestServer();
/// await server.StartAsync();
/// await server.WriteKubeconfigAsync("/tmp/kubeconfig");      // for kubectl
/// using var client = new k8s.Kubernetes(server.ClientConfiguration);  // KubernetesClient, unmodified
/// </code>
/// </example>
public sealed class KubernetesTestServer : IAsyncDisposable
{
    private readonly KubernetesTestServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ApiState _state;
    private readonly SemaphoreSlim _saveLock = new(1, 1);
    private WebApplication? _app;
    private Uri? _url;
    private int _savePending;
    private bool _disposed;

    /// <summary>Creates the server; call <see cref="StartAsync"/> to listen.</summary>
    /// <param name="options">Port, persistence, bookmarks, history; null for defaults.</param>
    public KubernetesTestServer(KubernetesTestServerOptions? options = null)
    {
        _options = options ?? new KubernetesTestServerOptions();
        _time = _options.TimeProvider ?? TimeProvider.System;
        _state = new ApiState(_time, _options.HistoryLimit);
    }

    /// <summary>The server URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    /// <exception cref="InvalidOperationException">The server is not started.</exception>
    public Uri Url => _url ?? throw new InvalidOperationException("The Kubernetes test server is not started: call StartAsync first.");

    /// <summary>A KubernetesClient configuration for this server (with the bearer token when one is required).</summary>
    public KubernetesClientConfiguration ClientConfiguration => new()
    {
        Host = Url.ToString().TrimEnd('/'),
        AccessToken = _options.BearerToken,
        Namespace = "default",
    };

    /// <summary>The kubeconfig YAML for this server (cluster, user and current context <c>wasmmesh-test</c>).</summary>
    public string KubeconfigYaml
    {
        get
        {
            // Anonymous access is a context without a user (as kubectl and KubernetesClient both read it);
            // a user entry without credentials would be refused by KubernetesClientConfiguration.
            var token = _options.BearerToken is { Length: > 0 } t ? t : null;
            return "apiVersion: v1\nkind: Config\n"
                + $"clusters:\n- name: wasmmesh-test\n  cluster:\n    server: {Url.ToString().TrimEnd('/')}\n"
                + (token is null ? "users: []\n" : $"users:\n- name: wasmmesh-test\n  user:\n    token: \"{token}\"\n")
                + "contexts:\n- name: wasmmesh-test\n  context:\n    cluster: wasmmesh-test\n"
                + (token is null ? string.Empty : "    user: wasmmesh-test\n")
                + "    namespace: default\n"
                + "current-context: wasmmesh-test\npreferences: {}\n";
        }
    }

    /// <summary>The resource version of the latest change.</summary>
    public long ResourceVersion => _state.CurrentResourceVersion;

    /// <summary>Starts listening on 127.0.0.1 (a free port unless <see cref="KubernetesTestServerOptions.Port"/> is set) and applies the startup manifests.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts requests.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_app is not null)
        {
            throw new InvalidOperationException("The Kubernetes test server is already started.");
        }

        if (_options.PersistencePath is { } path && File.Exists(path))
        {
            Load(path);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, _options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var handler = new ApiHandler(_state, _options, _time);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        _url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        handler.ServerAddress = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        foreach (var manifest in _options.ManifestPaths)
        {
            await ApplyYamlAsync(await File.ReadAllTextAsync(manifest, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        if (_options.PersistencePath is not null)
        {
            _state.Changed += ScheduleSave;
        }
    }

    /// <summary>
    /// Writes a kubeconfig for this server (atomically: write, then rename); point <c>KUBECONFIG</c> at it and
    /// kubectl works with no flags.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public Task WriteKubeconfigAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        return WriteAtomicallyAsync(path, KubeconfigYaml, cancellationToken);
    }

    /// <summary>Writes a temporary file and renames it, so a process waiting for the file never reads half of it.</summary>
    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Creates or updates the objects of a (multi-document) YAML manifest, like <c>kubectl apply --server-side
    /// --force-conflicts</c> with field manager <c>wasmmesh-test-server</c>. CRDs become served at once.
    /// </summary>
    /// <param name="yaml">The manifest.</param>
    /// <param name="cancellationToken">Unused; the operation is synchronous in memory.</param>
    /// <returns>A task that completes when every object is stored.</returns>
    /// <exception cref="InvalidOperationException">A document names an unknown kind or is invalid.</exception>
    public Task ApplyYamlAsync(string yaml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        foreach (var doc in YamlDocuments.Parse(yaml).OfType<JsonObject>())
        {
            var apiVersion = doc["apiVersion"]?.ToString() ?? string.Empty;
            var kind = doc["kind"]?.ToString() ?? string.Empty;
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? string.Empty : apiVersion[..slash];
            var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
            var def = _state.Definitions().FirstOrDefault(d => d.Group == group && d.Version == version && d.Kind == kind)
                ?? throw new InvalidOperationException($"The test server does not serve kind {kind} in {apiVersion}; apply its CustomResourceDefinition first.");
            var name = doc["metadata"]?["name"]?.ToString() ?? throw new InvalidOperationException($"A {kind} in the manifest has no metadata.name.");
            var ns = def.Namespaced ? doc["metadata"]?["namespace"]?.ToString() ?? "default" : null;
            try
            {
                _state.Patch(def, ns, name, "application/apply-patch+json", doc.ToJsonString(), statusEndpoint: false, "wasmmesh-test-server", force: true, dryRun: false);
            }
            catch (ApiError error)
            {
                throw new InvalidOperationException($"Applying {kind} {name} failed: {error.Message}", error);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends every open watch stream, as when an API server restarts or a load balancer drops connections.</summary>
    public void DropWatches() => _state.DropWatches();

    /// <summary>Forgets the change history: a watch from any earlier resource version gets 410 Gone (the client must relist).</summary>
    public void CompactHistory() => _state.Compact();

    /// <summary>
    /// Runs the server standalone until Ctrl+C: <c>--port N</c>, <c>--kubeconfig PATH</c> (written at start),
    /// <c>--data PATH</c> (persistence), <c>--token T</c>, and any number of <c>--manifest PATH</c> files.
    /// Several processes (controllers, kubectl) can then share it.
    /// </summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where to print the URL; null for standard output.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        var port = 0;
        string? kubeconfig = null;
        string? data = null;
        string? token = null;
        var manifests = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--kubeconfig":
                    kubeconfig = Next();
                    break;
                case "--data":
                    data = Next();
                    break;
                case "--token":
                    token = Next();
                    break;
                case "--manifest":
                    manifests.Add(Next());
                    break;
                case "-h" or "--help":
                    await output.WriteLineAsync("Kubernetes API test server (for tests and local development; not a cluster).\n"
                        + "Options: --port N  --kubeconfig PATH  --data PATH  --token TOKEN  --manifest PATH (repeatable)").ConfigureAwait(false);
                    return 0;
                default:
                    await output.WriteLineAsync($"Unknown option '{args[i]}'; see --help.").ConfigureAwait(false);
                    return 2;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var server = new KubernetesTestServer(new KubernetesTestServerOptions { Port = port, PersistencePath = data, BearerToken = token, ManifestPaths = manifests });
            await using (server.ConfigureAwait(false))
            {
                await server.StartAsync(stop.Token).ConfigureAwait(false);
                if (kubeconfig is not null)
                {
                    await server.WriteKubeconfigAsync(kubeconfig, stop.Token).ConfigureAwait(false);
                }

                await output.WriteLineAsync($"Kubernetes API test server listening on {server.Url} (test/dev only){(kubeconfig is null ? string.Empty : $"; kubeconfig: {kubeconfig}")}").ConfigureAwait(false);
                try
                {
                    // Ctrl+C, the caller's token, or SIGTERM (which the host turns into ApplicationStopping).
                    using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, server._app!.Lifetime.ApplicationStopping);
                    await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Stops the server (saving its state when persistence is on).</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _state.DropWatches();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (_options.PersistencePath is not null && _app is not null)
        {
            await SaveAsync().ConfigureAwait(false);
        }

        _saveLock.Dispose();
    }

    private void ScheduleSave()
    {
        if (Interlocked.Exchange(ref _savePending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(100).ConfigureAwait(false);
            Interlocked.Exchange(ref _savePending, 0);
            try
            {
                if (!_disposed)
                {
                    await SaveAsync().ConfigureAwait(false);
                }
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: DisposeAsync saved the final state.
            }
            catch (IOException)
            {
                // The next change or DisposeAsync saves again.
            }
        });
    }

    private async Task SaveAsync()
    {
        var path = _options.PersistencePath!;
        var (rv, objects) = _state.Snapshot();
        await _saveLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var temp = path + ".tmp";
            var stream = File.Create(temp);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes($"{{\"resourceVersion\":{rv},\"objects\":[")).ConfigureAwait(false);
                for (var i = 0; i < objects.Count; i++)
                {
                    var (key, json) = objects[i];
                    var prefix = $"{(i > 0 ? "," : string.Empty)}{{\"group\":\"{key.Group}\",\"plural\":\"{key.Plural}\",\"object\":";
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(prefix)).ConfigureAwait(false);
                    await stream.WriteAsync(json).ConfigureAwait(false);
                    await stream.WriteAsync("}"u8.ToArray()).ConfigureAwait(false);
                }

                await stream.WriteAsync("]}"u8.ToArray()).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            _saveLock.Release();
        }
    }

    private void Load(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The test server state file '{path}' is not valid JSON; delete it to start empty.", ex);
        }

        var objects = (root["objects"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(o => (new StorageKey(o["group"]?.ToString() ?? string.Empty, o["plural"]?.ToString() ?? string.Empty), (JsonObject)o["object"]!.DeepClone()))
            .ToList();
        _state.Restore(root["resourceVersion"]?.GetValue<long>() ?? 0, objects);
    }
}
