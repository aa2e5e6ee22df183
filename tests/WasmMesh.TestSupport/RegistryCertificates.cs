namespace WasmMesh.TestSupport;

/// <summary>Makes a throw-away CA and a server certificate for 127.0.0.1/localhost with openssl.</summary>
public static class RegistryCertificates
{
    /// <summary>Writes ca.crt, ca.key, server.crt and server.key into <paramref name="directory"/>; returns the CA path.</summary>
    public static async Task<string> CreateAsync(string directory, CancellationToken cancellationToken = default)
    {
        var openssl = ExternalBinary.Require("openssl", "openssl");
        string P(string name) => Path.Combine(directory, name);
        await File.WriteAllTextAsync(
            P("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
            cancellationToken);
        await Run(openssl, cancellationToken, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", P("ca.key"), "-out", P("ca.crt"), "-days", "2", "-subj", "/CN=WasmMesh Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await Run(openssl, cancellationToken, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", P("server.key"), "-out", P("server.csr"), "-subj", "/CN=127.0.0.1");
        await Run(openssl, cancellationToken, "x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"),
            "-CAcreateserial", "-out", P("server.crt"), "-days", "2", "-extfile", P("server.ext"));
        return P("ca.crt");
    }

    private static async Task Run(string openssl, CancellationToken cancellationToken, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(openssl, args, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {result}");
        }
    }
}
