using WasmMesh.Istio;
using Xunit;

namespace WasmMesh.Istio.Tests;

public sealed class EnvoyFilterBuilderOptionsTests
{
    [Fact]
    public void Validate_Defaults_HasNoProblems()
    {
        Assert.Empty(new EnvoyFilterBuilderOptions().Validate());
    }

    [Theory]
    [InlineData("ServiceName")]
    [InlineData("ServiceNamespace")]
    [InlineData("ServicePort")]
    [InlineData("ClusterDomain")]
    [InlineData("UriScheme")]
    [InlineData("FetchRetries")]
    [InlineData("Runtime")]
    public void Validate_AnnotatedPropertyOutOfRange_NamesTheProperty(string property)
    {
        var options = new EnvoyFilterBuilderOptions();
        switch (property)
        {
            case "ServiceName": options.ServiceName = "Wasmer_1"; break;
            case "ServiceNamespace": options.ServiceNamespace = "-bad"; break;
            case "ServicePort": options.ServicePort = 70000; break;
            case "ClusterDomain": options.ClusterDomain = "cluster..local"; break;
            case "UriScheme": options.UriScheme = "ftp"; break;
            case "FetchRetries": options.FetchRetries = 101; break;
            case "Runtime": options.Runtime = null!; break;
        }

        var problem = Assert.Single(options.Validate());
        Assert.Contains(property, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Messages_AreTheDataAnnotationMessages()
    {
        var problems = new EnvoyFilterBuilderOptions { ServicePort = 0, ServiceName = "A", Runtime = null! }.Validate();

        Assert.Equal(
            [
                "The field ServiceName must match the regular expression '^[a-z]([-a-z0-9]*[a-z0-9])?$'.",
                "The field ServicePort must be between 1 and 65535.",
                "The Runtime field is required.",
            ],
            problems.Order(StringComparer.Ordinal).ToArray().OrderBy(p => p.Contains("ServiceName", StringComparison.Ordinal) ? 0 : p.Contains("ServicePort", StringComparison.Ordinal) ? 1 : 2));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var options = new EnvoyFilterBuilderOptions { ServiceName = "UPPER", ServicePort = 0, FetchTimeout = TimeSpan.Zero };

        var problems = options.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("ServiceName", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ServicePort", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("FetchTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Builder_InvalidOptions_ThrowsWithTheProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new EnvoyFilterBuilder(new EnvoyFilterBuilderOptions { ServicePort = -1 }));

        Assert.Contains("ServicePort", error.Message, StringComparison.Ordinal);
    }
}
