namespace WasmMesh.TestSupport;

/// <summary>How to start a <see cref="RegistryServer"/>.</summary>
public sealed record RegistryServerOptions
{
    /// <summary>Require HTTP Basic auth from an htpasswd file (made with <c>htpasswd -Bbn</c>).</summary>
    public bool Htpasswd { get; init; }

    /// <summary>The user for <see cref="Htpasswd"/>.</summary>
    public string Username { get; init; } = "wasm";

    /// <summary>The password for <see cref="Htpasswd"/>.</summary>
    public string Password { get; init; } = "s3cret-pass";

    /// <summary>Serve HTTPS with a certificate signed by a throw-away CA made with openssl.</summary>
    public bool Tls { get; init; }

    /// <summary>Bearer token auth: the realm, service, issuer and the PEM bundle of the token signer's certificate.</summary>
    public RegistryTokenAuth? TokenAuth { get; init; }
}

/// <summary>The <c>auth.token</c> section of a registry config.</summary>
/// <param name="Realm">The token endpoint URL.</param>
/// <param name="Service">The service name.</param>
/// <param name="Issuer">The token issuer.</param>
/// <param name="RootCertBundle">A PEM file holding the certificate that signs tokens.</param>
public sealed record RegistryTokenAuth(string Realm, string Service, string Issuer, string RootCertBundle);
