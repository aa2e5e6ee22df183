using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Controllers;
using WasmMesh.Istio;
using WasmMesh.Istio.Rendering;
using WasmMesh.Kubernetes;
using WasmMesh.Model;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests;

public sealed class AutoWasmReconcilerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AutoWasmYaml(string name, string image = "registry.example.com/team/wasm-add-header:v0.3", string? extra = null) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: {name}
          namespace: default
        spec:
          filter:
            applyPorts: [9080]
            rootID: test
            vmID: test
            source:
              registry:
                image: {image}
        {extra}
          selector:
            matchLabels:
              app: details
        """;

    [Fact]
    public async Task Reconcile_ValidAutoWasm_WritesTheReferenceEnvoyFilterAndSyncedStatus()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("test"), "test", Ct);

        var result = await f.ReconcileAsync("test", Ct);

        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        Assert.Equal(f.OperatorOptions.TagResolveInterval, result.Delay);
        var ef = await f.EnvoyFilters.GetAsync("default", "test", Ct);
        var aw = await f.AutoWasms.GetAsync("default", "test", Ct);
        var expected = new EnvoyFilterBuilder(f.OperatorOptions.EnvoyFilter).Build(AutoWasmReader.ReadSingle(AutoWasmYaml("test")), ReconcilerFixture.ModuleSha);
        Assert.Equal(expected.Spec, ef.Spec);
        var retry = ef.Spec!.ConfigPatches[0].Patch.Value.TypedConfig!.Value.Config.VmConfig.Code.Remote.RetryPolicy;
        Assert.Equal(AutoWasmOperatorOptions.DefaultFetchRetries, retry!.NumRetries);
        Assert.Equal("30s", retry.RetryBackOff!.MaxInterval);
        var owner = Assert.Single(ef.Metadata.OwnerReferences!);
        Assert.Equal(aw.Metadata.Uid, owner.Uid);
        Assert.True(owner.Controller);
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        Assert.Equal(ReconcilerFixture.ModuleSha, aw.Status.Sha256);
        Assert.Equal(Digest.Parse("sha256:" + new string('a', 64)), aw.Status.ManifestDigest);
        Assert.Equal("test", aw.Status.EnvoyFilter);
        Assert.Equal(aw.Metadata.Generation, aw.Status.ObservedGeneration);
        Assert.Equal("True", Assert.Single(aw.Status.Conditions).Status);
        Assert.NotNull(aw.Status.LastSyncTime);
    }

    [Fact]
    public async Task Reconcile_Twice_SecondMakesNoWrites()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("quiet"), "quiet", Ct);
        await f.ReconcileAsync("quiet", Ct);
        await f.WaitForCacheAsync("quiet", Ct);
        var before = f.Server.ResourceVersion;

        await f.ReconcileAsync("quiet", Ct);
        await f.ReconcileAsync("quiet", Ct);

        Assert.Equal(before, f.Server.ResourceVersion);
        await f.Modules.Received(1).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_InvalidSpec_FailsWithEveryProblemAndWritesNoEnvoyFilter()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("bad", image: "Registry.Example.com/UPPER:v1", extra: "  secret: Not_Valid"), "bad", Ct);

        var result = await f.ReconcileAsync("bad", Ct);

        Assert.Equal(ReconcileResultKind.Done, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "bad", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Contains("spec.filter.source.registry.image", aw.Status.Message, StringComparison.Ordinal);
        Assert.Contains("spec.secret", aw.Status.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidSpec", aw.Status.Conditions[0].Reason);
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "bad", Ct));
        await f.Modules.DidNotReceive().EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_SpecVerify_FailsClosedWithoutFetchingOrWriting()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("signed", extra: "  verify: {publicKeys: [{name: cosign}], mode: Audit}"), "signed", Ct);

        var result = await f.ReconcileAsync("signed", Ct);

        Assert.Equal(ReconcileResultKind.Done, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "signed", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Equal("VerificationUnavailable", aw.Status.Conditions[0].Reason);
        Assert.StartsWith("spec.verify: ", aw.Status.Message, StringComparison.Ordinal);
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "signed", Ct));
        await f.Modules.DidNotReceive().EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_FetchFails_KeepsEnvoyFilterAndRequeues()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("flaky"), "flaky", Ct);
        await f.ReconcileAsync("flaky", Ct);
        var efBefore = await f.EnvoyFilters.GetAsync("default", "flaky", Ct);

        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Registry, "registry.example.com/team/wasm-add-header:v0.3", "connection refused"));
        await f.ApplyAsync(AutoWasmYaml("flaky", image: "registry.example.com/team/wasm-add-header:v0.4"), "flaky", Ct);
        var result = await f.ReconcileAsync("flaky", Ct);

        Assert.Equal(ReconcileResultKind.Requeue, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "flaky", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Contains("connection refused", aw.Status.Message, StringComparison.Ordinal);
        Assert.Equal(ReconcilerFixture.ModuleSha, aw.Status.Sha256);
        var efAfter = await f.EnvoyFilters.GetAsync("default", "flaky", Ct);
        Assert.Equal(efBefore.Metadata.ResourceVersion, efAfter.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Reconcile_HandWrittenEnvoyFilterWithSameName_IsNotOverwritten()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.Server.ApplyYamlAsync("""
            apiVersion: networking.istio.io/v1alpha3
            kind: EnvoyFilter
            metadata: {name: mine, namespace: default}
            spec: {configPatches: []}
            """, Ct);
        await f.ApplyAsync(AutoWasmYaml("mine"), "mine", Ct);

        await f.ReconcileAsync("mine", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "mine", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Equal("EnvoyFilterConflict", aw.Status.Conditions[0].Reason);
        var ef = await f.EnvoyFilters.GetAsync("default", "mine", Ct);
        Assert.True(ef.Spec!.ConfigPatches.IsEmpty);
    }

    [Fact]
    public async Task Reconcile_MissingPullSecret_FailsWithHowToFix()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("private", extra: "  secret: regcred"), "private", Ct);

        var result = await f.ReconcileAsync("private", Ct);

        Assert.Equal(ReconcileResultKind.Requeue, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "private", Ct);
        Assert.Equal("PullSecretUnavailable", aw.Status!.Conditions[0].Reason);
        Assert.Contains("kubectl create secret docker-registry regcred", aw.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_PullSecretInSameNamespace_IsPassedToTheSourceOnly()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        const string config = """{"auths":{"registry.example.com":{"auth":"dXNlcjpzM2NyZXQ="}}}""";
        await f.Server.ApplyYamlAsync($"""
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: regcred, namespace: default{"}"}
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(config))}
            """, Ct);
        await f.ApplyAsync(AutoWasmYaml("private", extra: "  secret: regcred"), "private", Ct);

        await f.ReconcileAsync("private", Ct);

        var expectedSecret = System.Text.Encoding.UTF8.GetBytes(config);
        await f.Modules.Received().EnsureAsync(Arg.Is<WasmSourceRequest>(r => r.PullSecret.ToArray().SequenceEqual(expectedSecret)), Arg.Any<CancellationToken>());
        var ef = await f.EnvoyFilters.GetAsync("default", "private", Ct);
        var yaml = EnvoyFilterRenderer.ToYaml(new EnvoyFilterBuilder().Build(AutoWasmReader.ReadSingle(AutoWasmYaml("private", extra: "  secret: regcred")), ReconcilerFixture.ModuleSha));
        Assert.DoesNotContain("regcred", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpzM2NyZXQ", System.Text.Json.JsonSerializer.Serialize(ef, IstioJsonContext.Default.EnvoyFilter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_AutoWasmDeleted_DeletesItsEnvoyFilter()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("gone"), "gone", Ct);
        await f.ReconcileAsync("gone", Ct);
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "gone", Ct));

        await f.AutoWasms.DeleteAsync("default", "gone", cancellationToken: Ct);
        await f.WaitForCacheAsync("gone", Ct);
        await f.ReconcileAsync("gone", Ct);

        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "gone", Ct));
        await f.Retention.Received().ApplyRetentionAsync(Arg.Any<IReadOnlyCollection<Digest>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_DigestPinnedImage_IsNotRequeued()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("pinned", image: "registry.example.com/a@sha256:" + new string('b', 64)), "pinned", Ct);
        Assert.Equal(ReconcileResultKind.Done, (await f.ReconcileAsync("pinned", Ct)).Kind);
    }

    [Fact]
    public async Task DigestResolver_KnownDigest_ReturnsPinnedRequestFromStatus()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("served"), "served", Ct);
        await f.ReconcileAsync("served", Ct);
        await f.WaitForCacheAsync("served", Ct);
        var resolver = new AutoWasmDigestResolver(f.Store, new WasmSourceRequestFactory(f.Client), Microsoft.Extensions.Logging.Abstractions.NullLogger<AutoWasmDigestResolver>.Instance);

        var request = await resolver.ResolveAsync(ReconcilerFixture.ModuleSha, Ct);
        var unknown = await resolver.ResolveAsync(Digest.FromSha256Hex(new string('c', 64)), Ct);

        Assert.NotNull(request);
        Assert.Equal(ReconcilerFixture.ModuleSha, request.ExpectedSha256);
        Assert.Equal("sha256:" + new string('a', 64), request.Image!.Digest.ToString());
        Assert.Null(unknown);
    }

    [Fact]
    public async Task Reconcile_ManyAutoWasmsOnOneSource_ResolveItOncePerInterval()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        foreach (var name in new[] { "one", "two", "three" })
        {
            await f.ApplyAsync(AutoWasmYaml(name), name, Ct);
            await f.ReconcileAsync(name, Ct);
        }

        await f.Modules.Received(1).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
        Assert.Equal(AutoWasmPhase.Synced, (await f.AutoWasms.GetAsync("default", "three", Ct)).Status!.Phase);

        await f.ApplyAsync(AutoWasmYaml("other", image: "registry.example.com/team/other:v1"), "other", Ct);
        await f.ReconcileAsync("other", Ct);
        await f.Modules.Received(2).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reconcile_ResolveAnnotationChanged_ResolvesTheTagNow()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        await f.ApplyAsync(AutoWasmYaml("again"), "again", Ct);
        await f.ApplyAsync(AutoWasmYaml("neighbour"), "neighbour", Ct);
        await f.ReconcileAsync("again", Ct);
        await f.ReconcileAsync("neighbour", Ct);
        await f.Modules.Received(1).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());

        await f.ApplyAsync(AutoWasmYaml("again").Replace("  namespace: default\n", $"  namespace: default\n  annotations:\n    {AutoWasmReconciler.ResolveAnnotation}: \"2026-01-01T00:00:00Z\"\n", StringComparison.Ordinal), "again", Ct);
        var result = await f.ReconcileAsync("again", Ct);

        // Resolved again at once, though the shared source was resolved well within the interval.
        await f.Modules.Received(2).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);

        // The same value again (a resync, our own status write) does not resolve again; a new value does.
        await f.WaitForCacheAsync("again", Ct);
        await f.ReconcileAsync("again", Ct);
        await f.Modules.Received(2).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
        await f.ApplyAsync(AutoWasmYaml("again").Replace("  namespace: default\n", $"  namespace: default\n  annotations:\n    {AutoWasmReconciler.ResolveAnnotation}: \"2026-01-01T00:05:00Z\"\n", StringComparison.Ordinal), "again", Ct);
        await f.ReconcileAsync("again", Ct);
        await f.Modules.Received(3).EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(RegistryCredentialsProblem.NoEntryForRegistry, "the registry registry.example.com requires authentication and secret default/regcred (spec.secret) has no entry for registry.example.com; add one (recreate it with kubectl create secret docker-registry regcred -n default --docker-server=registry.example.com")]
    [InlineData(RegistryCredentialsProblem.Refused, "the registry registry.example.com refused the credentials secret default/regcred (spec.secret) holds for registry.example.com; update the user name and password in that secret")]
    public async Task Reconcile_RegistryRefusesThePullSecret_StatusNamesSpecSecret(RegistryCredentialsProblem problem, string expected)
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        const string config = """{"auths":{"other.example.com":{"auth":"dXNlcjpzM2NyZXQ="}}}""";
        await f.Server.ApplyYamlAsync($"""
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: regcred, namespace: default{"}"}
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(config))}
            """, Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Registry, "registry.example.com/team/wasm-add-header:v0.3", "401", System.Net.HttpStatusCode.Unauthorized, isTransient: false) { CredentialsProblem = problem });
        await f.ApplyAsync(AutoWasmYaml("private", extra: "  secret: regcred"), "private", Ct);

        await f.ReconcileAsync("private", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "private", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.StartsWith(expected, aw.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wasmc login", aw.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_RegistryNeedsAuthenticationWithoutSecret_StatusSaysSetSpecSecret()
    {
        await using var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new WasmSourceException(WasmSourceKind.Registry, "registry.example.com/team/wasm-add-header:v0.3", "401", System.Net.HttpStatusCode.Unauthorized, isTransient: false) { CredentialsProblem = RegistryCredentialsProblem.NoPullSecret });
        await f.ApplyAsync(AutoWasmYaml("open"), "open", Ct);

        await f.ReconcileAsync("open", Ct);

        var aw = await f.AutoWasms.GetAsync("default", "open", Ct);
        Assert.Contains("this AutoWasm names no pull secret", aw.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("set spec.secret to its name", aw.Status.Message, StringComparison.Ordinal);
    }
}
