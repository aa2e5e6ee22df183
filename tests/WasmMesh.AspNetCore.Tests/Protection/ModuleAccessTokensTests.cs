using System.Text;
using WasmMesh.AspNetCore;

namespace WasmMesh.AspNetCore.Tests.Protection;

public sealed class ModuleAccessTokensTests
{
    private static readonly Digest Module = Digest.ComputeSha256("module"u8);
    private static readonly Digest Other = Digest.ComputeSha256("other"u8);
    private static readonly byte[] KeyA = Encoding.ASCII.GetBytes("key-a-0123456789abcdef0123456789abcdef");
    private static readonly byte[] KeyB = Encoding.ASCII.GetBytes("key-b-0123456789abcdef0123456789abcdef");

    [Fact]
    public void CreateToken_IsBase64UrlHmacOfNamespaceAndDigest()
    {
        var tokens = Tokens(out _);
        tokens.SetKey(KeyA);
        var token = tokens.CreateToken("team-a", Module);

        var input = Encoding.UTF8.GetBytes($"wasmmesh-module-token/v1\nteam-a\n{Module}");
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(KeyA, input)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, token);
        Assert.Equal(ModuleAccessTokens.TokenLength, token.Length);
        Assert.True(tokens.IsValid(token, ["team-a"], Module));
    }

    [Fact]
    public void IsValid_OtherNamespaceDigestOrAlteredToken_IsRefused()
    {
        var tokens = Tokens(out _);
        tokens.SetKey(KeyA);
        var token = tokens.CreateToken("team-a", Module);

        Assert.False(tokens.IsValid(token, ["team-b"], Module));
        Assert.False(tokens.IsValid(token, ["team-a"], Other));
        Assert.False(tokens.IsValid(token, [], Module));
        var altered = (token[0] == 'A' ? "B" : "A") + token[1..];
        Assert.False(tokens.IsValid(altered, ["team-a"], Module));
        Assert.False(tokens.IsValid(token.AsSpan(0, token.Length - 1), ["team-a"], Module));
        Assert.False(tokens.IsValid(token + "A", ["team-a"], Module));
        Assert.False(tokens.IsValid(new string('!', ModuleAccessTokens.TokenLength), ["team-a"], Module));
    }

    [Fact]
    public void IsValid_AnyReferencingNamespace_Accepts()
    {
        var tokens = Tokens(out _);
        tokens.SetKey(KeyA);
        Assert.True(tokens.IsValid(tokens.CreateToken("team-b", Module), ["team-a", "team-b", "team-c"], Module));
    }

    [Fact]
    public void Rotation_PreviousKeyValidForTheWindowOnly()
    {
        var tokens = Tokens(out var clock);
        tokens.SetKey(KeyA);
        var old = tokens.CreateToken("team-a", Module);
        var rotated = 0;
        tokens.KeyRotated += (_, _) => rotated++;

        Assert.True(tokens.SetKey(KeyB));
        Assert.Equal(1, rotated);
        var fresh = tokens.CreateToken("team-a", Module);
        Assert.NotEqual(old, fresh);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(tokens.IsValid(old, ["team-a"], Module));
        Assert.True(tokens.IsValid(fresh, ["team-a"], Module));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(tokens.IsValid(old, ["team-a"], Module));
        Assert.True(tokens.IsValid(fresh, ["team-a"], Module));
    }

    [Fact]
    public void SetKey_SameKey_DoesNotRotate()
    {
        var tokens = Tokens(out _);
        Assert.True(tokens.SetKey(KeyA));
        var rotated = 0;
        tokens.KeyRotated += (_, _) => rotated++;
        Assert.False(tokens.SetKey(KeyA.ToArray()));
        Assert.Equal(0, rotated);
    }

    [Fact]
    public void SetKey_TwoRotations_OnlyTheLastPreviousKeyStaysValid()
    {
        var tokens = Tokens(out _);
        tokens.SetKey(KeyA);
        var first = tokens.CreateToken("ns", Module);
        tokens.SetKey(KeyB);
        tokens.SetKey(Encoding.ASCII.GetBytes("key-c-0123456789abcdef0123456789abcdef"));
        Assert.False(tokens.IsValid(first, ["ns"], Module));
    }

    [Fact]
    public void SetKey_ShortKey_SaysHowToMakeOne()
    {
        var tokens = Tokens(out _);
        var e = Assert.Throws<ArgumentException>(() => tokens.SetKey("short"u8));
        Assert.Contains("at least 32 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutKey_NothingIsValidAndNoTokenIsMade()
    {
        var tokens = Tokens(out _);
        Assert.False(tokens.IsValid(new string('A', ModuleAccessTokens.TokenLength), ["ns"], Module));
        Assert.Throws<InvalidOperationException>(() => tokens.CreateToken("ns", Module));
    }

    private static ModuleAccessTokens Tokens(out ManualClock clock)
    {
        clock = new ManualClock();
        return new ModuleAccessTokens(TimeSpan.FromMinutes(10), clock);
    }
}
