using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Controllers;
using WasmMesh.Model;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class ReconcilerFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Yaml(string name, string source) => FaultYaml.AutoWasm(name, source);

    private const string Tag = FaultYaml.Tag;

    [Fact]
    public async Task Reconcile_PermanentFailure_RetriesOnlyAtTheSlowIntervalAndWritesStatusOnce()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        var a = Digest.Parse("sha256:" + new string('a', 64));
        var b = Digest.Parse("sha256:" + new string('b', 64));
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new DigestMismatchException(a, b, "https://example.com/m.wasm"));
        await f.ApplyAsync(Yaml("bad", Tag), "bad", Ct);

        var first = await f.ReconcileAsync("bad", Ct);
        await f.WaitForCacheAsync("bad", Ct);
        var written = await f.AutoWasms.GetAsync("default", "bad", Ct);
        var second = await f.ReconcileAsync("bad", Ct);
        var after = await f.AutoWasms.GetAsync("default", "bad", Ct);

        Assert.Equal(ReconcileResult.RequeueAfter(f.OperatorOptions.PermanentFailureRetryInterval), first);
        Assert.Equal(first, second);
        Assert.Equal(AutoWasmPhase.Failed, written.Status!.Phase);
        Assert.Equal("DigestMismatch", written.Status.Conditions[0].Reason);
        Assert.Equal(written.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_FullDiskWithChangingTempFiles_WritesTheStatusOnce()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        var attempt = 0;
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .Returns<Task<WasmModuleResult>>(_ => throw new IOException($"No space left on device : '/var/cache/wasmer/tmp/{++attempt:x8}.part'", 28));
        await f.ApplyAsync(Yaml("full", Tag), "full", Ct);

        var result = await f.ReconcileAsync("full", Ct);
        await f.WaitForCacheAsync("full", Ct);
        var written = await f.AutoWasms.GetAsync("default", "full", Ct);
        await f.ReconcileAsync("full", Ct);
        await f.ReconcileAsync("full", Ct);
        var after = await f.AutoWasms.GetAsync("default", "full", Ct);

        // A transient failure retries after the reconciler's own backoff (1 s doubling), not at once.
        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        Assert.InRange(result.Delay, AutoWasmReconciler.TransientRetryBase, AutoWasmReconciler.TransientRetryMax);
        Assert.Equal(3, attempt);
        Assert.Equal("DiskFull", written.Status!.Conditions[0].Reason);
        Assert.Equal(written.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_TransientFailuresInARow_DoubleTheRetryDelay()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Registry, "registry.example.com/team/wasm-add-header:v0.3", "the server answered 503", System.Net.HttpStatusCode.ServiceUnavailable));
        await f.ApplyAsync(Yaml("flaky", Tag), "flaky", Ct);

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            delays.Add((await f.ReconcileAsync("flaky", Ct)).Delay);
        }

        // Each reconcile that starts a fetch ends Done (the work queue forgets the key), so the reconciler counts the failures.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays);
    }

    [Fact]
    public async Task Reconcile_TagRecheckFailsOnSyncedAutoWasm_StaysSyncedWithSourceReachableFalse()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.OperatorOptions.TagResolveInterval = TimeSpan.FromSeconds(5);
        await f.ApplyAsync(Yaml("tagged", Tag), "tagged", Ct);
        await f.ReconcileAsync("tagged", Ct);
        await f.WaitForCacheAsync("tagged", Ct);
        var efBefore = await f.EnvoyFilters.GetAsync("default", "tagged", Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Registry, "registry.example.com/team/wasm-add-header:v0.3", "the server answered 503", System.Net.HttpStatusCode.ServiceUnavailable));
        await Task.Delay(TimeSpan.FromSeconds(5.2), Ct); // past the resolve interval: the tag is re-checked

        var result = await f.ReconcileAsync("tagged", Ct);

        // A transient failure retries after the reconciler's own backoff (1 s doubling), not at once.
        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        Assert.InRange(result.Delay, AutoWasmReconciler.TransientRetryBase, AutoWasmReconciler.TransientRetryMax);
        var aw = await f.AutoWasms.GetAsync("default", "tagged", Ct);
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        var reachable = Assert.Single(aw.Status.Conditions, c => c.Type == AutoWasmReconciler.SourceReachableCondition);
        Assert.Equal("False", reachable.Status);
        Assert.Equal("SourceUnavailable", reachable.Reason);
        Assert.Equal("True", Assert.Single(aw.Status.Conditions, c => c.Type == AutoWasmReconciler.ReadyCondition).Status);
        var efAfter = await f.EnvoyFilters.GetAsync("default", "tagged", Ct);
        Assert.Equal(efBefore.Metadata.ResourceVersion, efAfter.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_SourceThrowsFormatException_FailsWithInvalidSpecInsteadOfThrowing()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new FormatException("'sha256:sha256:ab' is not a sha256 digest"));
        await f.ApplyAsync(Yaml("pin", Tag), "pin", Ct);

        var result = await f.ReconcileAsync("pin", Ct);

        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "pin", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Equal("InvalidSpec", aw.Status.Conditions[0].Reason);
    }

    [Fact]
    public async Task Reconcile_StatusWriteMeetsANewerVersionOfTheSameSpec_WritesTheRealFailureOnIt()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new SizeLimitExceededException(1024, "module https://example.com/m.wasm"));
        await f.ApplyAsync(Yaml("large", Tag), "large", Ct);

        // The informer stops here: every write below makes the API newer than the copy the reconciler reads.
        await f.Informer.DisposeAsync();
        await f.ReconcileOnceAsync("large", Ct); // starts the fetch and writes Pending
        await f.Reconciler.WhenFetchSettled(new ObjectKey("default", "large")).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var result = await f.ReconcileOnceAsync("large", Ct);
        var written = await f.AutoWasms.GetAsync("default", "large", Ct);

        Assert.Equal(AutoWasmPhase.Failed, written.Status!.Phase);
        Assert.Equal("ModuleTooLarge", Assert.Single(written.Status.Conditions).Reason);
        Assert.Equal(ReconcileResult.RequeueAfter(f.OperatorOptions.PermanentFailureRetryInterval), result);
    }

    [Fact]
    public async Task Reconcile_StatusWriteMeetsANewSpec_LeavesTheStatusToTheNewSpecsReconcile()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new SizeLimitExceededException(1024, "module https://example.com/m.wasm"));
        await f.ApplyAsync(Yaml("edited", Tag), "edited", Ct);
        await f.Informer.DisposeAsync();
        await f.ReconcileOnceAsync("edited", Ct);
        await f.Reconciler.WhenFetchSettled(new ObjectKey("default", "edited")).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The spec changes before the outcome of the old one is written.
        await f.Server.ApplyYamlAsync(Yaml("edited", "registry:\n  image: registry.example.com/team/wasm-add-header:v0.4"), Ct);
        var edited = await f.AutoWasms.GetAsync("default", "edited", Ct);
        await f.ReconcileOnceAsync("edited", Ct);
        var after = await f.AutoWasms.GetAsync("default", "edited", Ct);

        Assert.Equal(edited.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.NotEqual(AutoWasmPhase.Failed, after.Status?.Phase);
    }
}
