using WasmMesh.Model.Validation;
using Xunit;

namespace WasmMesh.Model.Tests;

public sealed class VerifySpecTests
{
    [Fact]
    public void Read_RegistryWithVerify_ReadsKeysAndMode()
    {
        const string yaml = """
            apiVersion: wasm.tcm.io/v1alpha1
            kind: AutoWasm
            metadata: {name: signed, namespace: team}
            spec:
              filter:
                source:
                  registry: {image: registry.example.com/team/filter:v1}
              verify:
                mode: Audit
                publicKeys:
                  - name: cosign
                  - {name: release-keys, key: ci.pub}
            """;
        var resource = AutoWasmReader.ReadSingle(yaml, "aw.yaml");
        var expected = new VerifySpec
        {
            Mode = VerificationMode.Audit,
            PublicKeys = new[]
            {
                new PublicKeyReference { Name = "cosign" },
                new PublicKeyReference { Name = "release-keys", Key = "ci.pub" },
            },
        };
        Assert.Equal(expected, resource.Spec.Verify);
        Assert.Equal(VerificationMode.Audit, resource.Spec.Verify!.EffectiveMode);
        Assert.Empty(AutoWasmValidator.Validate(resource));
    }

    [Fact]
    public void EffectiveMode_Unset_IsEnforce()
        => Assert.Equal(VerificationMode.Enforce, new VerifySpec { PublicKeys = new[] { new PublicKeyReference { Name = "k" } } }.EffectiveMode);

    [Fact]
    public void Validate_ObjectSourceWithPinAndSignatureUrl_IsValid()
    {
        const string yaml = """
            apiVersion: wasm.tcm.io/v1alpha1
            kind: AutoWasm
            metadata: {name: blob}
            spec:
              filter:
                source:
                  object:
                    url: https://bucket.example.com/f.wasm
                    sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                    signatureUrl: https://bucket.example.com/f.wasm.sig
              verify:
                publicKeys: [{name: cosign}]
            """;
        var resource = AutoWasmReader.ReadSingle(yaml, "aw.yaml");
        Assert.Equal("https://bucket.example.com/f.wasm.sig", resource.Spec.Filter.Source.Object!.SignatureUrl);
        Assert.Empty(AutoWasmValidator.Validate(resource));
    }

    [Fact]
    public void Validate_AuditObjectSourceWithoutPin_IsValid()
    {
        var resource = ObjectAutoWasm(sha256: null, VerificationMode.Audit);
        Assert.Empty(AutoWasmValidator.Validate(resource));
    }

    [Fact]
    public void Validate_EnforceObjectSourceWithoutPin_NamesTheField()
    {
        var resource = ObjectAutoWasm(sha256: null, VerificationMode.Enforce);
        var problem = Assert.Single(AutoWasmValidator.Validate(resource));
        Assert.Equal("spec.filter.source.object.sha256", problem.Path);
        Assert.Contains("before the module is downloaded", problem.Message, StringComparison.Ordinal);
    }

    private static AutoWasm ObjectAutoWasm(string? sha256, VerificationMode mode) => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "blob", NamespaceProperty = "default" },
        Spec = new AutoWasmSpec
        {
            Filter = new WasmFilterSpec
            {
                Source = new WasmSourceSpec
                {
                    Object = new ObjectSourceSpec { Url = "https://bucket.example.com/f.wasm", Sha256 = sha256, SignatureUrl = "https://bucket.example.com/f.wasm.sig" },
                },
            },
            Verify = new VerifySpec { Mode = mode, PublicKeys = new[] { new PublicKeyReference { Name = "cosign" } } },
        },
    };
}
