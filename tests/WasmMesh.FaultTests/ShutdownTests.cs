using k8s;
using System.Diagnostics;
using System.Net;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.FaultTests;

/// <summary>SIGTERM: not ready at once, serving for the drain period, the lease released, exit code 0.</summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Sigterm_NotReadyAtOnce_ServesThroughTheDrain_ReleasesTheLease_ExitsZero()
    {
        Kubectl.Require();
        await using var mesh = await MeshEnvironment.StartAsync(TestContext.Current.CancellationToken);
        await using var stub = await HttpTestServer.StartAsync(TestContext.Current.CancellationToken);
        await using var wasmer = await WasmerProcess.StartAsync(
            "drain",
            mesh.Kubeconfig,
            ["--Wasmer:LeaseName=drain", $"--Wasmer:ShutdownDrain={Drain:c}", "--Wasmer:LeaseDuration=00:01:00"],
            environment: new Dictionary<string, string> { ["POD_NAME"] = "wasmer-drain-0" },
            cancellationToken: TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => wasmer.IsLeaderAsync(), "the only replica to lead", diagnostics: () => wasmer.Log);
        var module = WasmModuleBuilder.Build(seed: 801);
        var sha = Digest.ComputeSha256(module).Hex;
        await mesh.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml("default", "drain", MeshEnvironment.ObjectSource(stub.Publish("drain.wasm", module))));
        await mesh.WaitForSyncedAsync("default", "drain", sha, diagnostics: () => wasmer.Log);

        // A client that opened its connection before the signal (as Envoy's would be) and one that connects after it.
        using var early = new HttpClient { BaseAddress = wasmer.BaseUri };
        Assert.Equal(module, await early.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken));

        var clock = Stopwatch.StartNew();
        await wasmer.TerminateAsync();
        await Poll.UntilAsync(
            async () =>
            {
                using var ready = await early.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);
                return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
            },
            "/readyz to answer 503 after SIGTERM",
            TimeSpan.FromSeconds(2),
            () => wasmer.Log);
        var notReady = clock.Elapsed;

        // Serving goes on during the drain, on old and new connections.
        var served = 0;
        while (clock.Elapsed < Drain - TimeSpan.FromSeconds(1))
        {
            Assert.Equal(module, await early.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken));
            using var fresh = new HttpClient { BaseAddress = wasmer.BaseUri };
            Assert.Equal(module, await fresh.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), TestContext.Current.CancellationToken));
            served += 2;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.False(wasmer.HasExited, $"wasmer exited {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM, before the {Drain.TotalSeconds} s drain ended");
        var exitCode = await wasmer.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exited = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGTERM: /readyz 503 after {notReady.TotalMilliseconds:0} ms, {served} modules served during the drain, exit {exitCode} after {exited.TotalSeconds:0.0} s (drain {Drain.TotalSeconds} s)");
        Assert.Equal(0, exitCode);
        Assert.True(exited >= Drain - TimeSpan.FromMilliseconds(500), $"exited after {exited.TotalSeconds:0.0} s, before the drain ended");

        // The lease was released: another replica can take over at once instead of waiting the 60 s lease duration.
        var lease = await mesh.Client.CoordinationV1.ReadNamespacedLeaseAsync("drain", "default", cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity), $"the lease is still held by '{lease.Spec.HolderIdentity}'\n{wasmer.Log}");
        Assert.Contains("Released leadership", wasmer.Log, StringComparison.Ordinal);
    }
}
