using k8s;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Controllers;
using WasmMesh.Model;
using WasmMesh.Oci;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.Operator.Tests;

/// <summary>spec.verify in the reconciler: the signature of the resolved digest is checked before the fetch.</summary>
public sealed class ReconcilerVerificationTests
{
    private const string Image = "registry.example.com/team/filter:v1";
    private static readonly Digest Manifest = Digest.FromSha256Hex(new string('b', 64));
    private static readonly SigningKeyPair Pair = SigningKeys.Generate(password: null);

    private readonly ISecretDataReader _secrets = Substitute.For<ISecretDataReader>();
    private readonly IModuleSignatureClient _signatures = Substitute.For<IModuleSignatureClient>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AutoWasmYaml(string name, string? mode, string image = Image) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: {name}
          namespace: default
        spec:
          filter:
            applyPorts: [9080]
            rootID: test
            source:
              registry:
                image: {image}
          selector:
            matchLabels:
              app: details
        {(mode is null ? string.Empty : $"  verify: {{mode: {mode}, publicKeys: [{{name: cosign}}]}}")}
        """;

    [Fact]
    public async Task Enforce_SignatureMissing_FailsWithVerifiedFalse_NothingFetchedOrWritten()
    {
        await using var f = await StartAsync();
        Unsigned();
        await f.ApplyAsync(AutoWasmYaml("signed", "Enforce"), "signed", Ct);

        var result = await Reconciler(f).ReconcileAsync(Request("signed"), Ct);

        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        var aw = await f.AutoWasms.GetAsync("default", "signed", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Equal("VerificationFailed", Condition(aw, "Ready").Reason);
        var verified = Condition(aw, "Verified");
        Assert.Equal("False", verified.Status);
        Assert.Equal("SignatureInvalid", verified.Reason);
        Assert.Contains("no signature found", verified.Message, StringComparison.Ordinal);
        Assert.StartsWith("spec.verify (Enforce): ", aw.Status.Message, StringComparison.Ordinal);
        Assert.Null(aw.Status.Sha256);
        Assert.Null(await f.EnvoyFilters.TryGetAsync("default", "signed", Ct));
        await f.Modules.DidNotReceive().EnsureAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>());
        await _signatures.Received().VerifyAsync(ImageReference.Parse(Image).WithDigest(Manifest), Arg.Any<IReadOnlyList<VerificationKey>>(), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Enforce_Signed_FetchesThePinnedDigestThatWasChecked_AndReportsTheKeyId()
    {
        await using var f = await StartAsync();
        Signed();
        await f.ApplyAsync(AutoWasmYaml("signed", "Enforce"), "signed", Ct);

        await Reconciler(f).ReconcileAsync(Request("signed"), Ct);

        var aw = await f.AutoWasms.GetAsync("default", "signed", Ct);
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        var verified = Condition(aw, "Verified");
        Assert.Equal("True", verified.Status);
        Assert.Contains(Pair.KeyId, verified.Message, StringComparison.Ordinal);
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "signed", Ct));
        await f.Modules.Received(1).EnsureAsync(Arg.Is<WasmSourceRequest>(r => r.Image!.Digest == Manifest), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Enforce_OwnStatusWriteEvent_ReusesTheCheckWithoutAskingTheRegistryAgain()
    {
        await using var f = await StartAsync();
        Signed();
        await f.ApplyAsync(AutoWasmYaml("signed", "Enforce"), "signed", Ct);
        var reconciler = Reconciler(f);
        await reconciler.ReconcileAsync(Request("signed"), Ct);
        await f.WaitForCacheAsync("signed", Ct);

        await reconciler.ReconcileAsync(Request("signed"), Ct);

        await _signatures.Received(1).VerifyAsync(Arg.Any<ImageReference>(), Arg.Any<IReadOnlyList<VerificationKey>>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>());
        Assert.Equal("True", Condition(await f.AutoWasms.GetAsync("default", "signed", Ct), "Verified").Status);
    }

    [Fact]
    public async Task Audit_Unsigned_DeploysWithVerifiedFalseAndAWarningEvent()
    {
        await using var f = await StartAsync();
        Unsigned();
        await f.ApplyAsync(AutoWasmYaml("audited", "Audit"), "audited", Ct);

        await Reconciler(f).ReconcileAsync(Request("audited"), Ct);

        var aw = await f.AutoWasms.GetAsync("default", "audited", Ct);
        Assert.Equal(AutoWasmPhase.Synced, aw.Status!.Phase);
        Assert.Equal("False", Condition(aw, "Verified").Status);
        Assert.NotNull(await f.EnvoyFilters.TryGetAsync("default", "audited", Ct));
        var events = await f.Client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: Ct);
        Assert.Contains(events.Items, e => e.Type == "Warning" && e.Reason == "VerificationFailed" && e.Message.StartsWith("spec.verify (Audit): ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enforce_RefusalAfterAnUnverifiedDeployment_StopsServingThatModule()
    {
        await using var f = await StartAsync();
        Unsigned();
        await f.ApplyAsync(AutoWasmYaml("late", "Audit"), "late", Ct);
        await Reconciler(f).ReconcileAsync(Request("late"), Ct);
        Assert.NotNull((await f.AutoWasms.GetAsync("default", "late", Ct)).Status!.Sha256);

        await f.ApplyAsync(AutoWasmYaml("late", "Enforce"), "late", Ct);
        await Reconciler(f).ReconcileAsync(Request("late"), Ct);

        var aw = await f.AutoWasms.GetAsync("default", "late", Ct);
        Assert.Equal(AutoWasmPhase.Failed, aw.Status!.Phase);
        Assert.Null(aw.Status.Sha256);
        Assert.Empty(f.Store.NamespacesReferencing(ReconcilerFixture.ModuleSha));
    }

    [Fact]
    public async Task AccessTokens_TheOutputNamesTheTokenUrl_AndIsRewrittenEveryInterval()
    {
        await using var f = await StartAsync();
        var tokens = Substitute.For<IWasmModuleAccessTokens>();
        tokens.TokenFor("default", ReconcilerFixture.ModuleSha).Returns("dG9rZW4");
        await f.ApplyAsync(AutoWasmYaml("pinned", mode: null, image: $"registry.example.com/team/filter@{Manifest}"), "pinned", Ct);
        var reconciler = new AutoWasmReconciler(f.Store, f.Client, new WasmSourceRequestFactory(f.Client), f.Modules, f.Retention, Options.Create(f.OperatorOptions), TimeProvider.System, NullLogger<AutoWasmReconciler>.Instance, accessTokens: tokens);

        var result = await reconciler.ReconcileAsync(Request("pinned"), Ct);

        Assert.Equal(ReconcileResultKind.RequeueAfter, result.Kind);
        var ef = await f.EnvoyFilters.GetAsync("default", "pinned", Ct);
        Assert.Equal($"wasmer.istio-system:8081/wasm/{ReconcilerFixture.ModuleSha.Hex}/dG9rZW4", ReadUri(ef));
    }

    private static string ReadUri(Istio.EnvoyFilters.EnvoyFilter filter)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(filter, Istio.IstioJsonContext.Default.EnvoyFilter);
        var start = json.IndexOf("\"uri\":\"", StringComparison.Ordinal) + 7;
        return json[start..json.IndexOf('"', start)];
    }

    private async Task<ReconcilerFixture> StartAsync()
    {
        var f = await ReconcilerFixture.StartAsync(Ct);
        f.Modules.ResolveManifestAsync(Arg.Any<WasmSourceRequest>(), Arg.Any<CancellationToken>()).Returns(Manifest);
        _secrets.ReadAsync("default", "cosign", Arg.Any<CancellationToken>())
            .Returns(new Dictionary<string, byte[]> { ["cosign.pub"] = Encoding.ASCII.GetBytes(Pair.PublicKeyPem) });
        return f;
    }

    private void Signed()
    {
        var pinned = ImageReference.Parse(Image).WithDigest(Manifest);
        _signatures.VerifyAsync(pinned, Arg.Any<IReadOnlyList<VerificationKey>>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>())
            .Returns(new SignatureVerification(pinned, Pair.KeyId, "default/cosign[cosign.pub]", SignatureFormat.SimpleSigning, Digest.ComputeSha256("sig"u8), null));
    }

    private void Unsigned()
        => _signatures.VerifyAsync(Arg.Any<ImageReference>(), Arg.Any<IReadOnlyList<VerificationKey>>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new SignatureVerificationException(Image, Manifest, ["no signature found (no tag sha256-….sig and no sigstore bundle referrer)"]));

    private AutoWasmReconciler Reconciler(ReconcilerFixture f)
        => new(f.Store, f.Client, new WasmSourceRequestFactory(f.Client), f.Modules, f.Retention, Options.Create(f.OperatorOptions), TimeProvider.System, NullLogger<AutoWasmReconciler>.Instance,
            new AutoWasmSignatureVerifier(_secrets, _signatures, Substitute.For<IDetachedSignatureSource>(), []));

    private static ReconcileRequest Request(string name) => new(new ObjectKey("default", name));

    private static StatusCondition Condition(AutoWasm resource, string type) => resource.Status!.Conditions.Single(c => c.Type == type);
}
