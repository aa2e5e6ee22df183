using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Controllers;
using WasmMesh.Model;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

/// <summary>Fetches run off the reconcile workers; the AutoWasm shows Pending; fill-on-demand uses the recorded source.</summary>
public sealed class FetchOffWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ObjectYaml(string name, string url, string? sha256 = null) => FaultYaml.AutoWasm(name, FaultYaml.Object(url, sha256));

    private static WasmModuleResult Module(Digest? sha = null) => new() { Sha256 = sha ?? ReconcilerFixture.ModuleSha, Size = 898, Path = ReconcilerFixture.SampleModulePath, SourceKind = WasmSourceKind.Object };

    [Fact]
    public async Task Reconcile_SourceAnotherAutoWasmJustResolved_SyncsInOneReconcileWithoutAFetchOrPending()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>()).Returns(Task.FromResult(Module()));
        await f.ApplyAsync(ObjectYaml("first", "https://shared.example.com/m.wasm"), "first", Ct);
        await f.ApplyAsync(ObjectYaml("second", "https://shared.example.com/m.wasm"), "second", Ct);
        await f.ApplyAsync(ObjectYaml("other", "https://other.example.com/m.wasm"), "other", Ct);
        await f.ReconcileAsync("first", Ct);
        Assert.Equal(AutoWasmPhase.Synced, (await f.AutoWasms.GetAsync("default", "first", Ct)).Status!.Phase);

        // One reconcile, on the worker: Synced at once (a fetch would have returned with Pending), no second fetch.
        var result = await f.ReconcileOnceAsync("second", Ct);
        var after = await f.AutoWasms.GetAsync("default", "second", Ct);

        Assert.Equal(ReconcileResultKind.Done, result.Kind);
        Assert.False(f.Reconciler.HasFetch(new ObjectKey("default", "second")));
        Assert.Equal(AutoWasmPhase.Synced, after.Status!.Phase);
        await f.Modules.Received(1).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());

        // Another source still goes through a fetch, shown as Pending.
        await f.ReconcileOnceAsync("other", Ct);
        Assert.True(f.Reconciler.HasFetch(new ObjectKey("default", "other")) || (await f.AutoWasms.GetAsync("default", "other", Ct)).Status?.Phase == AutoWasmPhase.Pending);
    }

    [Fact]
    public async Task Reconcile_HangingSource_ReturnsAtOnceWithPendingAndOthersSync_ThenTheCompletionQueuesTheKey()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        var hanging = new TaskCompletionSource<WasmModuleResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Modules.EnsureAsync(Arg.Is<WasmSourceRequest>(r => r.Url!.Host == "hang.example.com"), Arg.Any<CancellationToken>()).Returns(hanging.Task);
        await f.ApplyAsync(ObjectYaml("slow", "https://hang.example.com/m.wasm?token=secret"), "slow", Ct);
        await f.ApplyAsync(ObjectYaml("fast", "https://fast.example.com/m.wasm"), "fast", Ct);
        var controller = new RecordingController();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var completions = f.Reconciler.FetchCompletions.RunAsync(controller, stop.Token);

        // The reconcile returns while the fetch hangs: the worker is free, the AutoWasm says what it waits for.
        var first = await f.ReconcileOnceAsync("slow", Ct);
        Assert.Equal(ReconcileResultKind.Done, first.Kind);
        Assert.True(f.Reconciler.HasFetch(new ObjectKey("default", "slow")));
        var pending = await f.AutoWasms.GetAsync("default", "slow", Ct);
        Assert.Equal(AutoWasmPhase.Pending, pending.Status!.Phase);
        Assert.Contains("waiting for the module from https://hang.example.com/m.wasm", pending.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", pending.Status.Message, StringComparison.Ordinal);
        Assert.Equal("Fetching", Assert.Single(pending.Status.Conditions).Reason);

        // Asking again while it hangs starts no second fetch and writes nothing.
        await f.WaitForCacheAsync("slow", Ct);
        Assert.Equal(ReconcileResultKind.Done, (await f.ReconcileOnceAsync("slow", Ct)).Kind);
        Assert.Equal(pending.Metadata.ResourceVersion, (await f.AutoWasms.GetAsync("default", "slow", Ct)).Metadata.ResourceVersion);
        await f.Modules.Received(1).EnsureAsync(Arg.Is<WasmSourceRequest>(r => r.Url!.Host == "hang.example.com"), Arg.Any<CancellationToken>());

        // Another AutoWasm syncs meanwhile.
        await f.ReconcileAsync("fast", Ct);
        Assert.Equal(AutoWasmPhase.Synced, (await f.AutoWasms.GetAsync("default", "fast", Ct)).Status!.Phase);
        Assert.Equal(AutoWasmPhase.Pending, (await f.AutoWasms.GetAsync("default", "slow", Ct)).Status!.Phase);

        // The fetch completes: the completion source queues the key, and the next reconcile takes the result.
        hanging.SetResult(Module());
        await f.Reconciler.WhenFetchSettled(new ObjectKey("default", "slow")).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Poll(() => controller.Keys.Contains(new ObjectKey("default", "slow")), () => $"keys: {string.Join(",", controller.Keys)}; fetch: {f.Reconciler.HasFetch(new ObjectKey("default", "slow"))}; completions: {completions.Status}");
        await f.ReconcileAsync("slow", Ct);
        var synced = await f.AutoWasms.GetAsync("default", "slow", Ct);
        Assert.Equal(AutoWasmPhase.Synced, synced.Status!.Phase);
        Assert.Equal("https://hang.example.com/m.wasm?token=secret", synced.Status.Source!.Url);
        await stop.CancelAsync();
        await completions;
    }

    [Fact]
    public async Task Reconcile_RegistrySource_RecordsTheImageByManifestDigest()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(FaultYaml.AutoWasm("tagged", "registry:\n  image: registry.example.com/team/filter:v1"), "tagged", Ct);

        await f.ReconcileAsync("tagged", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "tagged", Ct);
        Assert.Equal($"registry.example.com/team/filter@sha256:{new string('a', 64)}", aw.Status!.Source!.Image);
        Assert.Null(aw.Status.Source.Url);
    }

    [Fact]
    public async Task DigestResolver_SpecChangedToABrokenSource_FillsFromTheRecordedSource()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(ObjectYaml("moved", "https://good.example.com/m.wasm"), "moved", Ct);
        await f.ReconcileAsync("moved", Ct);
        await f.WaitForCacheAsync("moved", Ct);

        // The spec now names a source that fails; the status still names the served module and its source.
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Object, "https://broken.example.com/m.wasm", "the server answered 404 NotFound", System.Net.HttpStatusCode.NotFound, isTransient: false));
        await f.ApplyAsync(ObjectYaml("moved", "https://broken.example.com/m.wasm"), "moved", Ct);
        await f.ReconcileAsync("moved", Ct);
        await f.WaitForCacheAsync("moved", Ct);
        var failed = await f.AutoWasms.GetAsync("default", "moved", Ct);
        Assert.Equal(AutoWasmPhase.Failed, failed.Status!.Phase);
        Assert.Equal(ReconcilerFixture.ModuleSha, failed.Status.Sha256);

        var resolver = new AutoWasmDigestResolver(f.Store, new WasmSourceRequestFactory(f.Client), NullLogger<AutoWasmDigestResolver>.Instance);
        var request = await resolver.ResolveAsync(ReconcilerFixture.ModuleSha, Ct);

        Assert.NotNull(request);
        Assert.Equal(new Uri("https://good.example.com/m.wasm"), request.Url);
        Assert.Equal(ReconcilerFixture.ModuleSha, request.ExpectedSha256);
    }

    [Fact]
    public async Task DigestResolver_SpecMadeInvalid_StillFillsTheModuleTheEnvoyFilterNames()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(ObjectYaml("invalidated", "https://good.example.com/m.wasm"), "invalidated", Ct);
        await f.ReconcileAsync("invalidated", Ct);
        await f.WaitForCacheAsync("invalidated", Ct);
        await f.ApplyAsync(ObjectYaml("invalidated", "ftp://good.example.com/m.wasm"), "invalidated", Ct);

        await f.ReconcileAsync("invalidated", Ct);
        await f.WaitForCacheAsync("invalidated", Ct);

        var failed = await f.AutoWasms.GetAsync("default", "invalidated", Ct);
        Assert.Equal(("Failed", "InvalidSpec"), (failed.Status!.Phase.ToString(), failed.Status.Conditions[0].Reason));
        Assert.Equal(ReconcilerFixture.ModuleSha, failed.Status.Sha256);
        Assert.Contains(ReconcilerFixture.ModuleSha, f.Store.DigestsInUse());
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "invalidated", Ct));
        var resolver = new AutoWasmDigestResolver(f.Store, new WasmSourceRequestFactory(f.Client), NullLogger<AutoWasmDigestResolver>.Instance);
        var request = await resolver.ResolveAsync(ReconcilerFixture.ModuleSha, Ct);
        Assert.Equal(new Uri("https://good.example.com/m.wasm"), request!.Url);
    }

    [Fact]
    public async Task PrefixedPin_TheCrdSchemaRejectsItWithTheFieldPath_AndTheValidatorNamesTheSameField()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        var doubled = ObjectYaml("doubled", "https://example.com/m.wasm", "sha256:sha256:" + ReconcilerFixture.ModuleSha.Hex);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => f.ApplyAsync(doubled, "doubled", Ct));

        Assert.Contains("spec.filter.source.object.sha256", refused.Message, StringComparison.Ordinal);
        var invalid = Assert.Throws<WasmMesh.Model.Validation.AutoWasmValidationException>(() => AutoWasmReader.ReadSingle(doubled));
        Assert.Contains("spec.filter.source.object.sha256", invalid.Message, StringComparison.Ordinal);
        await f.Modules.DidNotReceive().EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_UnexpectedException_EndsInFailedStatusAndAWarningEvent()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Retention.ApplyRetentionAsync(Arg.Any<IReadOnlyCollection<Digest>>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidOperationException("the cache index is locked by another process"));
        await f.ApplyAsync(ObjectYaml("boom", "https://example.com/m.wasm"), "boom", Ct);

        var result = await f.ReconcileAsync("boom", Ct);

        Assert.Equal(ReconcileResultKind.Requeue, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "boom", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Contains("the cache index is locked by another process", aw.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", aw.Status.Message, StringComparison.Ordinal);
        var events = await f.Client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: Ct);
        Assert.Contains(events.Items, e => e.Type == "Warning" && e.InvolvedObject.Name == "boom" && e.Message.Contains("locked", StringComparison.Ordinal));
    }

    private static async Task Poll(Func<bool> condition, Func<string> diagnostics)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), diagnostics());
    }

    private sealed class RecordingController : IController
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<ObjectKey> _keys = new();

        public IReadOnlyCollection<ObjectKey> Keys => _keys.ToArray();

        public string Name => "test";

        public bool IsRunning => true;

        public int QueueLength => 0;

        public void Enqueue(ObjectKey key) => _keys.Enqueue(key);

        public void EnqueueAfter(ObjectKey key, TimeSpan delay) => _keys.Enqueue(key);
    }
}
