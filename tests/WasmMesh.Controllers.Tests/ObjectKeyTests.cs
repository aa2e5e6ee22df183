namespace WasmMesh.Controllers.Tests;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("default/test", "default", "test")]
    [InlineData("test", "", "test")]
    public void Parse_ValidKey_RoundTrips(string text, string ns, string name)
    {
        var key = ObjectKey.Parse(text);

        Assert.Equal(ns, key.Namespace);
        Assert.Equal(name, key.Name);
        Assert.Equal(text, key.ToString());
        Assert.Equal(new ObjectKey(ns, name), key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/name")]
    [InlineData("ns/")]
    [InlineData("a/b/c")]
    public void TryParse_InvalidKey_ReturnsFalse(string text)
    {
        Assert.False(ObjectKey.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ObjectKey.Parse(text));
    }

    [Fact]
    public void Constructor_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ObjectKey("ns", ""));
        Assert.Throws<ArgumentException>(() => new ObjectKey("a/b", "c"));
    }

    [Fact]
    public void CompareTo_OrdersByNamespaceThenName()
    {
        var keys = new[] { ObjectKey.Parse("b/a"), ObjectKey.Parse("a/b"), ObjectKey.Parse("a/a"), ObjectKey.Parse("z") };

        Array.Sort(keys);

        Assert.Equal(["z", "a/a", "a/b", "b/a"], keys.Select(k => k.ToString()));
        Assert.True(ObjectKey.Parse("a/a") < ObjectKey.Parse("a/b"));
    }

    [Fact]
    public void Equality_SameParts_AreEqualAndHashEqual()
    {
        var a = new ObjectKey("ns", "name");
        var b = ObjectKey.Parse("ns/name");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new ObjectKey("ns", "other"));
    }
}
