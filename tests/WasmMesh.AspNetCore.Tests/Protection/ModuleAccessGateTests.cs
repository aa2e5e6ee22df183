using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using WasmMesh.AspNetCore;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore.Tests.Protection;

public sealed class ModuleAccessGateTests
{
    private static readonly Digest Referenced = Digest.ComputeSha256("referenced"u8);
    private static readonly Digest Unreferenced = Digest.ComputeSha256("cached but unused"u8);

    [Fact]
    public void Unprotected_ServesAnyDigestWithoutToken_AndNoTokenPaths()
    {
        var gate = Gate(new WasmServingProtectionOptions(), out _);
        Assert.True(gate.Allows(Unreferenced, token: null));
        Assert.False(gate.Allows(Referenced, "anything"));
    }

    [Fact]
    public void ServeReferencedOnly_RefusesUnreferencedDigests()
    {
        var gate = Gate(new WasmServingProtectionOptions { ServeReferencedOnly = true }, out _);
        Assert.True(gate.Allows(Referenced, token: null));
        Assert.False(gate.Allows(Unreferenced, token: null));
    }

    [Fact]
    public void RequireToken_NeedsAValidTokenOfAReferencingNamespace()
    {
        var gate = Gate(new WasmServingProtectionOptions { RequireToken = true }, out var tokens);
        var good = tokens.CreateToken("team-a", Referenced);
        Assert.True(gate.Allows(Referenced, good));
        Assert.False(gate.Allows(Referenced, token: null));
        Assert.False(gate.Allows(Referenced, tokens.CreateToken("team-b", Referenced)));
        Assert.False(gate.Allows(Unreferenced, tokens.CreateToken("team-a", Unreferenced)));
    }

    [Fact]
    public void Protected_WithoutReferences_FailsWithWhatToRegister()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var e = Assert.Throws<InvalidOperationException>(() => new ModuleAccessGate(Options.Create(new WasmServingProtectionOptions { ServeReferencedOnly = true }), services));
        Assert.Contains(nameof(IWasmModuleReferences), e.Message, StringComparison.Ordinal);
    }

    private static ModuleAccessGate Gate(WasmServingProtectionOptions options, out ModuleAccessTokens tokens)
    {
        var references = Substitute.For<IWasmModuleReferences>();
        references.NamespacesReferencing(Arg.Any<Digest>()).Returns(call => call.Arg<Digest>() == Referenced ? ["team-a"] : Array.Empty<string>());
        tokens = new ModuleAccessTokens(TimeSpan.FromMinutes(1), new ManualClock());
        tokens.SetKey("0123456789abcdef0123456789abcdef"u8);
        var services = new ServiceCollection().AddSingleton(references).AddSingleton(tokens).BuildServiceProvider();
        return new ModuleAccessGate(Options.Create(options), services);
    }
}
