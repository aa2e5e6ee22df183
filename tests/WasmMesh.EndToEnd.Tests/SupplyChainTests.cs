using System.Net;
using System.Text;
using WasmMesh.AspNetCore;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>
/// Signed modules through wasmer: <c>spec.verify</c> Enforce refuses an unsigned module (nothing cached, served or
/// written) until <c>wasmc sign</c> signs it, Audit deploys it with a warning; and the token-protected endpoint.
/// </summary>
public sealed class SupplyChainTests(SharedMesh mesh)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string VerifiedAutoWasmYaml(string ns, string name, string image, string mode) => $"""
        apiVersion: wasm.tcm.io/v1alpha1
        kind: AutoWasm
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          filter:
            applyPorts: [9080]
            rootID: {name}
            source:
              registry: {"{"}image: "{image}"{"}"}
          selector:
            matchLabels:
              app: details
          verify:
            mode: {mode}
            publicKeys:
              - name: cosign

        """;

    [Fact]
    public async Task Enforce_UnsignedModuleIsRefusedWithNothingCachedOrWritten_ThenSignedWithWasmcItSyncsWithTheKeyId()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-verify-enforce";
        await env.CreateNamespaceAsync(ns);
        var (image, module, sha) = await PushAsync(env, "e2e/verify-enforce:v1", seed: 151);
        var keyPrefix = env.Directory.Combine("enforce");
        var keyId = await Wasmc.GenerateKeyAsync(keyPrefix);
        await env.Kubectl.RunAsync("create", "secret", "generic", "cosign", "-n", ns, $"--from-file=cosign.pub={keyPrefix}.pub");

        await env.Kubectl.ApplyAsync(VerifiedAutoWasmYaml(ns, "signed", image, "Enforce"));

        var refused = await env.WaitForAutoWasmAsync(ns, "signed", r => r.Status?.Phase == AutoWasmPhase.Failed && Condition(r, "Verified")?.Status == "False", "Failed with Verified=False", diagnostics: env.Diagnostics);
        Assert.Equal("VerificationFailed", Condition(refused, "Ready")!.Reason);
        Assert.Contains("no signature", refused.Status!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(refused.Status.Sha256);
        Assert.Null(await env.EnvoyFilters.TryGetAsync(ns, "signed", Ct));
        Assert.False(File.Exists(Path.Combine(env.Wasmer.CacheDirectory, "sha256", sha)), "an unverified module was cached");
        using (var response = await env.Wasmer.Http.GetAsync(new Uri($"/wasm/{sha}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // Signing in CI (wasmc sign) is picked up at the next retry: Synced, Verified=True with the key id.
        Assert.Equal(keyId, await Wasmc.SignAsync(image, keyPrefix + ".key"));
        var synced = await env.WaitForSyncedAsync(ns, "signed", sha, diagnostics: env.Diagnostics);
        var verified = Condition(synced, "Verified")!;
        Assert.Equal("True", verified.Status);
        Assert.Equal("SignatureVerified", verified.Reason);
        Assert.Contains(keyId, verified.Message, StringComparison.Ordinal);
        Assert.Contains($"{ns}/cosign", verified.Message, StringComparison.Ordinal);
        Assert.Equal($"{image[..image.LastIndexOf(':')]}@{synced.Status!.ManifestDigest}", synced.Status.FetchedFrom); // pulled by digest from the source itself
        Assert.NotNull(await env.WaitForEnvoyFilterAsync(ns, "signed", sha, diagnostics: env.Diagnostics));
        Assert.Equal(module, await env.Wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), Ct));
    }

    [Fact]
    public async Task Audit_UnsignedModuleIsDeployedWithVerifiedFalseAndAWarningEvent()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-verify-audit";
        await env.CreateNamespaceAsync(ns);
        var (image, _, sha) = await PushAsync(env, "e2e/verify-audit:v1", seed: 152);
        var keyPrefix = env.Directory.Combine("audit");
        await Wasmc.GenerateKeyAsync(keyPrefix);
        await env.Kubectl.RunAsync("create", "secret", "generic", "cosign", "-n", ns, $"--from-file=cosign.pub={keyPrefix}.pub");

        await env.Kubectl.ApplyAsync(VerifiedAutoWasmYaml(ns, "audited", image, "Audit"));

        var synced = await env.WaitForSyncedAsync(ns, "audited", sha, diagnostics: env.Diagnostics);
        var verified = Condition(synced, "Verified")!;
        Assert.Equal("False", verified.Status);
        Assert.Equal("SignatureInvalid", verified.Reason);
        Assert.NotNull(await env.WaitForEnvoyFilterAsync(ns, "audited", sha, diagnostics: env.Diagnostics));
        var events = await Poll.UntilAsync(
            async () =>
            {
                var text = await env.Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=VerificationFailed", "-o", "jsonpath={range .items[*]}{.type} {.message}{\"\\n\"}{end}");
                return text.Contains("Warning", StringComparison.Ordinal) ? text : null;
            },
            "a Warning event VerificationFailed",
            diagnostics: env.Diagnostics);
        Assert.Contains("spec.verify (Audit)", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enforce_ObjectSource_SignBlobSignatureMadeOutsideWasmMesh_WrongOneRefusedBeforeDownload_RightOneSyncs()
    {
        var env = await mesh.GetAsync();
        const string ns = "e2e-verify-object";
        await env.CreateNamespaceAsync(ns);
        var module = WasmModuleBuilder.Build(seed: 155);
        var sha = Digest.ComputeSha256(module).Hex;
        var url = env.Objects.Publish("verify/object.wasm", module);
        // What 'cosign sign-blob --key' writes: base64 of an ASN.1 ECDSA P-256 signature over the blob's SHA-256.
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        string Sign(byte[] blob) => Convert.ToBase64String(key.SignData(blob, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence));
        var signatureUrl = env.Objects.Publish("verify/object.wasm.sig", Encoding.ASCII.GetBytes(Sign([.. module, 0])));
        var publicKey = env.Directory.Combine("object-cosign.pub");
        await File.WriteAllTextAsync(publicKey, key.ExportSubjectPublicKeyInfoPem(), Ct);
        await env.Kubectl.RunAsync("create", "secret", "generic", "cosign", "-n", ns, $"--from-file=cosign.pub={publicKey}");

        await env.Kubectl.ApplyAsync(VerifiedAutoWasmYaml(ns, "blob", "unused", "Enforce").Replace(
            "registry: {image: \"unused\"}", $"object: {{url: \"{url}\", sha256: \"{sha}\", signatureUrl: \"{signatureUrl}\"}}", StringComparison.Ordinal));

        var refused = await env.WaitForAutoWasmAsync(ns, "blob", r => r.Status?.Phase == AutoWasmPhase.Failed && Condition(r, "Verified")?.Status == "False", "Failed with Verified=False", diagnostics: env.Diagnostics);
        Assert.Contains("is not a signature of module", refused.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Objects.Requests("verify/object.wasm"));
        Assert.Null(await env.EnvoyFilters.TryGetAsync(ns, "blob", Ct));

        env.Objects.Publish("verify/object.wasm.sig", Encoding.ASCII.GetBytes(Sign(module)));
        var synced = await env.WaitForSyncedAsync(ns, "blob", sha, diagnostics: env.Diagnostics);
        Assert.Equal("True", Condition(synced, "Verified")!.Status);
        Assert.Contains("sign-blob signature", Condition(synced, "Verified")!.Message, StringComparison.Ordinal);
        Assert.Equal($"{url.GetLeftPart(UriPartial.Path)}", synced.Status!.FetchedFrom);
    }

    [Fact]
    public async Task TokenEndpoint_OutputNamesTheTokenUrl_BadTokenAndUnreferencedDigestAre404()
    {
        var shared = await mesh.GetAsync();
        await using var env = await MeshEnvironment.StartAsync(Ct);
        const string ns = "e2e-token";
        await env.CreateNamespaceAsync(ns);
        var (image, module, sha) = await PushAsync(shared, "e2e/token:v1", seed: 153);
        var keyFile = env.Directory.Combine("token.key");
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).Concat(Guid.NewGuid().ToByteArray()).ToArray());
        await File.WriteAllTextAsync(keyFile, key + "\n", Ct);
        await using var wasmer = await WasmerProcess.StartAsync(
            "token",
            env.Kubeconfig,
            ["--Wasmer:RequireModuleToken=true", $"--Wasmer:ModuleTokenKeyFile={keyFile}", "--Wasmer:TagResolveInterval=00:00:05"],
            cancellationToken: Ct);
        var tokens = new ModuleAccessTokens(TimeSpan.Zero, TimeProvider.System);
        tokens.SetKey(Encoding.UTF8.GetBytes(key));
        var token = tokens.CreateToken(ns, Digest.FromSha256Hex(sha));

        await env.Kubectl.ApplyAsync(MeshEnvironment.AutoWasmYaml(ns, "tokened", MeshEnvironment.RegistrySource(image)));

        await env.WaitForSyncedAsync(ns, "tokened", sha, diagnostics: () => wasmer.Log);
        var filter = await env.Kubectl.RunAsync("get", "envoyfilter", "tokened", "-n", ns, "-o", "yaml");
        Assert.Contains($"uri: wasmer.istio-system:8081/wasm/{sha}/{token}\n", filter, StringComparison.Ordinal);
        Assert.Equal(module, await wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}/{token}", UriKind.Relative), Ct));
        await AssertNotFoundAsync(wasmer, $"/wasm/{sha}");
        await AssertNotFoundAsync(wasmer, $"/wasm/{sha}/{tokens.CreateToken("other-namespace", Digest.FromSha256Hex(sha))}");
        await AssertNotFoundAsync(wasmer, $"/wasm/{sha}/{token[..^2]}AA");

        // Once no AutoWasm references the module, it is not served even with a valid token (it may still be cached).
        await env.Kubectl.RunAsync("delete", "aw", "tokened", "-n", ns);
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await wasmer.Http.GetAsync(new Uri($"/wasm/{sha}/{token}", UriKind.Relative), Ct);
                return response.StatusCode == HttpStatusCode.NotFound;
            },
            "the unreferenced module refused",
            diagnostics: () => wasmer.Log);
    }

    [Fact]
    public async Task Mirror_TagResolvedAndPulledAtTheMirror_SignatureReadThere_StatusRecordsWhereItCameFrom()
    {
        var shared = await mesh.GetAsync();
        await using var env = await MeshEnvironment.StartAsync(Ct);
        await using var mirror = await RegistryServer.StartAsync(cancellationToken: Ct);
        const string ns = "e2e-mirror";
        await env.CreateNamespaceAsync(ns);
        var moduleFile = env.Directory.Combine("mirrored.wasm");
        var module = WasmModuleBuilder.Build(seed: 154);
        await File.WriteAllBytesAsync(moduleFile, module, Ct);
        var sha = Digest.ComputeSha256(module).Hex;
        var mirrored = $"{mirror.Host}/e2e/mirrored:v1";
        await Wasmc.PushAsync(mirrored, moduleFile);
        var keyPrefix = env.Directory.Combine("mirror");
        var keyId = await Wasmc.GenerateKeyAsync(keyPrefix);
        await Wasmc.SignAsync(mirrored, keyPrefix + ".key");
        await env.Kubectl.RunAsync("create", "secret", "generic", "cosign", "-n", ns, $"--from-file=cosign.pub={keyPrefix}.pub");

        // The source registry never had the module: only the mirror can answer, and the source is never contacted.
        // The tag is resolved under the ImageTagMirrorSet; the module and its signature are then read by digest (ImageDigestMirrorSet).
        var mirrorsFile = env.Directory.Combine("mirrors.yaml");
        await File.WriteAllTextAsync(mirrorsFile, $"""
            apiVersion: config.openshift.io/v1
            kind: ImageTagMirrorSet
            metadata: {"{"}name: e2e-tags{"}"}
            spec:
              imageTagMirrors:
              - source: {shared.Registry.Host}/e2e
                mirrors: [{mirror.Host}/e2e]
                mirrorSourcePolicy: NeverContactSource
            ---
            apiVersion: config.openshift.io/v1
            kind: ImageDigestMirrorSet
            metadata: {"{"}name: e2e-digests{"}"}
            spec:
              imageDigestMirrors:
              - source: {shared.Registry.Host}/e2e
                mirrors: [{mirror.Host}/e2e]
                mirrorSourcePolicy: NeverContactSource

            """, Ct);
        await using var wasmer = await WasmerProcess.StartAsync("mirrored", env.Kubeconfig, [$"--Wasmer:MirrorsFile={mirrorsFile}"], cancellationToken: Ct);

        await env.Kubectl.ApplyAsync(VerifiedAutoWasmYaml(ns, "mirrored", $"{shared.Registry.Host}/e2e/mirrored:v1", "Enforce"));

        var synced = await env.WaitForSyncedAsync(ns, "mirrored", sha, diagnostics: () => wasmer.Log);
        Assert.Equal($"{mirror.Host}/e2e/mirrored@{synced.Status!.ManifestDigest}", synced.Status.FetchedFrom);
        var verified = Condition(synced, "Verified")!;
        Assert.Equal("True", verified.Status);
        Assert.Contains(keyId, verified.Message, StringComparison.Ordinal);
        Assert.Contains($"signature read from mirror {mirror.Host}", verified.Message, StringComparison.Ordinal);
        Assert.Equal(module, await wasmer.Http.GetByteArrayAsync(new Uri($"/wasm/{sha}", UriKind.Relative), Ct));
    }

    private static async Task<(string Image, byte[] Module, string Sha)> PushAsync(SharedMesh.Running env, string repository, int seed)
    {
        var moduleFile = env.Directory.Combine($"supply-{seed}.wasm");
        var module = WasmModuleBuilder.Build(seed: seed);
        await File.WriteAllBytesAsync(moduleFile, module, Ct);
        var image = $"{env.Registry.Host}/{repository}";
        await Wasmc.PushAsync(image, moduleFile);
        return (image, module, Digest.ComputeSha256(module).Hex);
    }

    private static async Task AssertNotFoundAsync(WasmerProcess wasmer, string path)
    {
        using var response = await wasmer.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static StatusCondition? Condition(AutoWasm resource, string type) => resource.Status?.Conditions.FirstOrDefault(c => c.Type == type);
}
