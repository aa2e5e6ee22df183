namespace WasmMesh.Oci.Tests.Auth;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_BearerWithQuotedCommas_ReadsEveryParameter()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/filter:pull,push\"");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge.Realm);
        Assert.Equal("registry.example.com", challenge.Service);
        Assert.Equal("repository:team/filter:pull,push", challenge.Scope);
    }

    [Fact]
    public void Parse_UnquotedValuesAndEscapes_AreRead()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=plain, charset=\"UTF\\\"8\"");

        Assert.True(challenge.IsBasic);
        Assert.Equal("plain", challenge.Realm);
        Assert.Equal("UTF\"8", challenge.Parameters["charset"]);
    }

    [Fact]
    public void Select_BasicAndBearerOffered_PrefersBearer()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"r\"");
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://a/token\",service=\"s\"");

        var challenge = AuthChallenge.Select(response.Headers.WwwAuthenticate);

        Assert.NotNull(challenge);
        Assert.True(challenge.IsBearer);
    }
}
