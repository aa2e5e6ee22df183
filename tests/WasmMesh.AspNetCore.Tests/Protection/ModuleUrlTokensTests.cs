using Microsoft.Extensions.DependencyInjection;
using WasmMesh.Sources;
using Xunit;

namespace WasmMesh.AspNetCore.Tests.Protection;

/// <summary>What writers of module URLs (wasmer's outputs) get from the protection services.</summary>
public sealed class ModuleUrlTokensTests
{
    private static readonly Digest Module = Digest.ComputeSha256("module"u8);

    [Fact]
    public void RequireToken_TokenForIsTheTokenTheEndpointAccepts()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            using var provider = new ServiceCollection().AddLogging()
                .AddWasmMeshServingProtection(o => { o.RequireToken = true; o.TokenKeyFile = keyFile; })
                .BuildServiceProvider();
            var tokens = provider.GetRequiredService<ModuleAccessTokens>();
            tokens.SetKey(new byte[32]);

            var token = provider.GetRequiredService<IWasmModuleAccessTokens>().TokenFor("team", Module);

            Assert.Equal(tokens.CreateToken("team", Module), token);
            Assert.True(tokens.IsValid(token, ["team"], Module));
            Assert.False(tokens.IsValid(token, ["other"], Module));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public void TokensOff_TokenForIsNull()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddWasmMeshServingProtection(o => o.ServeReferencedOnly = true)
            .BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<IWasmModuleAccessTokens>().TokenFor("team", Module));
    }
}
