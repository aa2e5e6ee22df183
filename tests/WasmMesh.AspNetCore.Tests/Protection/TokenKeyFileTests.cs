using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WasmMesh.AspNetCore;

namespace WasmMesh.AspNetCore.Tests.Protection;

public sealed class TokenKeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wasmmesh-token-").FullName;

    [Fact]
    public async Task ReadKey_TrailingNewline_IsNotPartOfTheKey()
    {
        var file = Write("0123456789abcdef0123456789abcdef0123\n");
        var key = await TokenKeyFileReloader.ReadKeyAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal("0123456789abcdef0123456789abcdef0123", Encoding.ASCII.GetString(key));
    }

    [Fact]
    public async Task ReadKey_ShortOrHugeFile_SaysWhatIsWrong()
    {
        var shortKey = await Assert.ThrowsAsync<InvalidDataException>(() => TokenKeyFileReloader.ReadKeyAsync(Write("abc\n"), TestContext.Current.CancellationToken));
        Assert.Contains("holds 3 bytes", shortKey.Message, StringComparison.Ordinal);
        var huge = await Assert.ThrowsAsync<InvalidDataException>(() => TokenKeyFileReloader.ReadKeyAsync(Write(new string('k', 5000)), TestContext.Current.CancellationToken));
        Assert.Contains("larger than 4096 bytes", huge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ChangedFileRotates_BrokenFileKeepsTheCurrentKey()
    {
        var clock = new ManualClock();
        var tokens = new ModuleAccessTokens(TimeSpan.FromMinutes(5), clock);
        var file = Write("first-key-0123456789abcdef0123456789");
        var options = Options.Create(new WasmServingProtectionOptions { RequireToken = true, TokenKeyFile = file, PreviousKeyValidity = TimeSpan.FromMinutes(5) });
        var reloader = new TokenKeyFileReloader(tokens, options, clock, NullLogger<TokenKeyFileReloader>.Instance);
        await reloader.ReloadAsync(file, TestContext.Current.CancellationToken);
        var digest = Digest.ComputeSha256("m"u8);
        var first = tokens.CreateToken("ns", digest);

        File.WriteAllText(file, "second-key-0123456789abcdef0123456789");
        await reloader.ReloadAsync(file, TestContext.Current.CancellationToken);
        var second = tokens.CreateToken("ns", digest);
        Assert.NotEqual(first, second);
        Assert.True(tokens.IsValid(first, ["ns"], digest));

        File.WriteAllText(file, "x");
        await reloader.ReloadAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(second, tokens.CreateToken("ns", digest));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string content)
    {
        var file = Path.Combine(_directory, "key");
        File.WriteAllText(file, content);
        return file;
    }
}
