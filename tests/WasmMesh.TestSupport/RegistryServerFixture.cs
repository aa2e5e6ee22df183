namespace WasmMesh.TestSupport;

/// <summary>
/// An xunit fixture holding one <see cref="RegistryServer"/> for a test class. When <c>docker-registry</c> is not
/// installed the fixture starts nothing and <see cref="Server"/> skips the calling test.
/// </summary>
public class RegistryServerFixture : Xunit.IAsyncLifetime
{
    private RegistryServer? _server;

    /// <summary>The options the registry is started with; override in a derived fixture.</summary>
    protected virtual RegistryServerOptions Options => new();

    /// <summary>The running registry; skips the calling test when docker-registry is absent.</summary>
    public RegistryServer Server
    {
        get
        {
            ExternalBinary.Require("docker-registry", "docker-registry");
            return _server ?? throw new InvalidOperationException("the registry fixture did not start");
        }
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (ExternalBinary.Find("docker-registry") is not null)
        {
            _server = await RegistryServer.StartAsync(Options);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
