using k8s;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Controllers;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Testing;
using WasmMesh.TestSupport;
using Xunit;

namespace WasmMesh.Operator.Tests;

/// <summary>The two ways of wiring the SDK shown in the README ("With KubernetesClient"), compiled and run.</summary>
public sealed class ReadmeHostingTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    // README: the host already has a client: WasmMesh uses it.
    private static void HostWithItsOwnClient(IServiceCollection services, KubernetesClientConfiguration config)
    {
        services.AddSingleton<IKubernetes>(new k8s.Kubernetes(config));
        services.AddWasmMeshSources();
        services.AddWasmMeshOperator(o => o.WatchNamespace = "mesh").UseKubernetesLeaderLock();
    }

    // README: no client yet: build one from a kubeconfig (or in-cluster); skipped when one is registered.
    private static void HostFromKubeconfig(IServiceCollection services, string kubeconfig)
    {
        services.AddWasmMeshKubernetes(o => { o.KubeconfigPath = kubeconfig; o.Context = "wasmmesh-test"; });
        services.AddWasmMeshSources();
        services.AddWasmMeshOperator().UseKubernetesLeaderLock();
    }

    [Fact]
    public async Task HostWithItsOwnClient_OperatorInformerAndLeaderLockUseIt()
    {
        await using var server = await StartServerAsync();
        var services = new ServiceCollection();
        HostWithItsOwnClient(services, server.ClientConfiguration);
        services.AddWasmMeshKubernetes(o => o.KubeconfigPath = "/nonexistent/kubeconfig"); // must not replace the host's client
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IKubernetes>();
        Assert.Equal(server.Url, client.BaseUri);
        Assert.Single(services, d => d.ServiceType == typeof(IKubernetes));
        Assert.Equal("lease default/wasmmesh-controllers", Assert.IsType<KubernetesLeaderLock>(provider.GetRequiredService<ILeaderLock>()).Description);
        await AssertInformerSyncsAsync(provider);
    }

    [Fact]
    public async Task HostFromKubeconfig_BuildsTheClientFromTheFile()
    {
        await using var server = await StartServerAsync();
        using var dir = new TempDirectory();
        var kubeconfig = dir.Combine("kubeconfig");
        await server.WriteKubeconfigAsync(kubeconfig, _ct);
        var services = new ServiceCollection();
        HostFromKubeconfig(services, kubeconfig);
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(server.Url, provider.GetRequiredService<IKubernetes>().BaseUri);
        await AssertInformerSyncsAsync(provider);
    }

    private async Task AssertInformerSyncsAsync(IServiceProvider provider)
    {
        var informer = provider.GetRequiredService<Informer<AutoWasm>>();
        await informer.StartAsync(_ct);
        await informer.WaitForSyncAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);
        Assert.True(informer.HasSynced);
        await informer.DisposeAsync();
    }

    private async Task<KubernetesTestServer> StartServerAsync()
    {
        var server = new KubernetesTestServer();
        await server.StartAsync(_ct);
        await server.ApplyYamlAsync(AutoWasmCrd.Yaml, _ct);
        return server;
    }
}
