using System.Net;
using System.Text;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using WasmMesh.Oci;
using Xunit;

namespace WasmMesh.Sources.Tests;

/// <summary>A registry's 401 is reported in terms of the pull secret (never as "run wasmc login").</summary>
public sealed class RegistryCredentialsMessageTests
{
    private static readonly ImageReference Image = ImageReference.Parse("registry.example.com/team/filter:v1");

    [Theory]
    [InlineData(null, RegistryCredentialsProblem.NoPullSecret, "the registry registry.example.com requires authentication and no pull secret was given")]
    [InlineData("other.example.com", RegistryCredentialsProblem.NoEntryForRegistry, "the registry registry.example.com requires authentication and the pull secret has no entry for registry.example.com")]
    [InlineData("registry.example.com", RegistryCredentialsProblem.Refused, "the registry registry.example.com refused the pull secret's credentials; check the user name and password in its entry for registry.example.com")]
    public async Task Resolve_Unauthorized_SaysWhatThePullSecretLacks(string? secretHost, RegistryCredentialsProblem problem, string reason)
    {
        var client = Substitute.For<IWasmRegistryClient>();
        client.ResolveAsync(Arg.Any<ImageReference>(), Arg.Any<RegistryCredentials?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RegistryException(HttpStatusCode.Unauthorized, "GET", new Uri("https://registry.example.com/v2/team/filter/manifests/v1"), [], "run 'wasmc login registry.example.com'"));
        var secret = secretHost is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes("{\"auths\":{\"" + secretHost + "\":{\"auth\":\"dXNlcjpzM2NyZXQ=\"}}}");
        var source = new OciRegistryModuleSource(client);

        var error = await Assert.ThrowsAsync<WasmSourceException>(() => source.ResolveAsync(Image, secret, TestContext.Current.CancellationToken));

        Assert.Equal(problem, error.CredentialsProblem);
        Assert.Equal(reason, error.Reason);
        Assert.DoesNotContain("wasmc", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }
}
