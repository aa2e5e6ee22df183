using System.Text;

namespace WasmMesh.Oci;

/// <summary>A user name and password (or access token) for a registry. <see cref="ToString"/> never shows the secret.</summary>
public sealed record RegistryCredentials
{
    /// <summary>Creates credentials.</summary>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password or access token.</param>
    public RegistryCredentials(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        Username = username;
        Password = password;
    }

    /// <summary>The user name.</summary>
    public string Username { get; }

    /// <summary>The password or access token.</summary>
    public string Password { get; }

    /// <summary>Decodes docker's <c>auth</c> field: base64 of <c>user:password</c>.</summary>
    /// <param name="auth">The base64 text.</param>
    /// <param name="credentials">The credentials, when the text is valid.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryFromBasicAuth(string? auth, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegistryCredentials? credentials)
    {
        credentials = null;
        if (string.IsNullOrEmpty(auth))
        {
            return false;
        }

        var buffer = new byte[(auth.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(auth, buffer, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        credentials = new RegistryCredentials(text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>Encodes docker's <c>auth</c> field: base64 of <c>user:password</c>.</summary>
    /// <returns>The base64 text.</returns>
    public string ToBasicAuth() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <summary>Shows the user name only.</summary>
    /// <returns><c>RegistryCredentials { Username = …, Password = *** }</c>.</returns>
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";

    /// <summary>A short fingerprint that tells credentials apart without revealing them (for cache keys).</summary>
    internal string Fingerprint()
        => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Username + "\0" + Password)))[..16];
}
