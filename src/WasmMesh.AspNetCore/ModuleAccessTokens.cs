using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Per-namespace module access tokens: base64url of HMAC-SHA256(key, namespace and digest), checked in constant time.
/// The key rotates with <see cref="SetKey"/>; tokens of the previous key stay valid for a window so that outputs written
/// before the rotation keep working until they are rewritten.
/// </summary>
public sealed class ModuleAccessTokens
{
    /// <summary>The length of a token: 32 HMAC bytes in unpadded base64url.</summary>
    public const int TokenLength = 43;

    private const int MacLength = 32;
    private static readonly byte[] Context = "wasmmesh-module-token/v1\n"u8.ToArray();

    private readonly TimeProvider _time;
    private readonly TimeSpan _previousValidity;
    private readonly object _gate = new();
    private volatile KeyState _state = new(null, null, DateTimeOffset.MinValue);

    /// <summary>Creates the token service without a key; <see cref="SetKey"/> must be called before tokens are made.</summary>
    /// <param name="previousKeyValidity">How long the previous key's tokens stay valid after a rotation.</param>
    /// <param name="time">The clock.</param>
    public ModuleAccessTokens(TimeSpan previousKeyValidity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(previousKeyValidity, TimeSpan.Zero);
        _previousValidity = previousKeyValidity;
        _time = time;
    }

    /// <summary>Raised after the key changed: outputs that carry tokens should be written again with new ones.</summary>
    public event EventHandler? KeyRotated;

    /// <summary>Whether a key is set.</summary>
    public bool HasKey => _state.Current is not null;

    /// <summary>Sets the key. A different key rotates: the old one becomes the previous key, valid for the window.</summary>
    /// <param name="key">The key bytes; at least <see cref="WasmServingProtectionOptions.MinimumKeyBytes"/>.</param>
    /// <returns>Whether the key changed.</returns>
    /// <exception cref="ArgumentException">The key is too short.</exception>
    public bool SetKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < WasmServingProtectionOptions.MinimumKeyBytes)
        {
            throw new ArgumentException($"a token key needs at least {WasmServingProtectionOptions.MinimumKeyBytes} bytes, got {key.Length}; make one with 'openssl rand -base64 48'", nameof(key));
        }

        lock (_gate)
        {
            var current = _state.Current;
            if (current is not null && CryptographicOperations.FixedTimeEquals(current, key))
            {
                return false;
            }

            _state = new KeyState(key.ToArray(), current, current is null ? DateTimeOffset.MinValue : _time.GetUtcNow() + _previousValidity);
        }

        KeyRotated?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>The token for a namespace's access to a module, made with the current key.</summary>
    /// <param name="namespaceName">The namespace of the resource that references the module.</param>
    /// <param name="sha256">The module digest.</param>
    /// <returns>The token (<see cref="TokenLength"/> base64url characters).</returns>
    /// <exception cref="InvalidOperationException">No key is set.</exception>
    public string CreateToken(string namespaceName, Digest sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespaceName);
        var key = _state.Current ?? throw new InvalidOperationException("no token key is loaded yet");
        Span<byte> mac = stackalloc byte[MacLength];
        Compute(key, namespaceName, sha256, mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// Checks a token against every namespace that references the module, with the current key and, within its
    /// window, the previous key. Comparisons are constant-time.
    /// </summary>
    /// <param name="token">The token from the request path.</param>
    /// <param name="namespaces">The namespaces referencing <paramref name="sha256"/>.</param>
    /// <param name="sha256">The module digest.</param>
    /// <returns>Whether the token is valid.</returns>
    public bool IsValid(ReadOnlySpan<char> token, IEnumerable<string> namespaces, Digest sha256)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var state = _state;
        if (state.Current is null || token.Length != TokenLength)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[MacLength + 2];
        if (Base64Url.DecodeFromChars(token, presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacLength)
        {
            return false;
        }

        presented = presented[..MacLength];
        var previous = state.Previous is not null && _time.GetUtcNow() < state.PreviousValidUntil ? state.Previous : null;
        Span<byte> expected = stackalloc byte[MacLength];
        var valid = false;
        foreach (var ns in namespaces)
        {
            Compute(state.Current, ns, sha256, expected);
            valid |= CryptographicOperations.FixedTimeEquals(expected, presented);
            if (previous is not null)
            {
                Compute(previous, ns, sha256, expected);
                valid |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return valid;
    }

    private static void Compute(byte[] key, string namespaceName, Digest sha256, Span<byte> mac)
    {
        // context | namespace | '\n' | sha256:<hex>: the separator cannot occur in a namespace name, so no two inputs collide.
        var digest = sha256.ToString();
        var length = Context.Length + Encoding.UTF8.GetByteCount(namespaceName) + 1 + digest.Length;
        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        Context.CopyTo(buffer);
        var offset = Context.Length + Encoding.UTF8.GetBytes(namespaceName, buffer[Context.Length..]);
        buffer[offset++] = (byte)'\n';
        Encoding.ASCII.GetBytes(digest, buffer[offset..]);
        HMACSHA256.HashData(key, buffer, mac);
    }

    private sealed record KeyState(byte[]? Current, byte[]? Previous, DateTimeOffset PreviousValidUntil);
}
