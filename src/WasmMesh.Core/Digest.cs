using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace WasmMesh;

/// <summary>
/// A content digest: an algorithm and its lowercase hex encoding, e.g.
/// <c>sha256:750d63889653e7117fcbc0831f10f0e1d3f7ec0c82fe5787b71d08a783e3393f</c>.
/// Only <c>sha256</c> (64 hex digits) and <c>sha512</c> (128 hex digits) are accepted.
/// </summary>
/// <remarks>
/// Hex is always stored lowercase: Envoy compares a remote module's <c>sha256</c> with its own lowercase
/// digest, and OCI digests are lowercase by specification. Parsing rejects uppercase so that a
/// mistyped digest is reported instead of silently normalised.
/// </remarks>
public readonly record struct Digest : ISpanFormattable
{
    /// <summary>The name of the SHA-256 algorithm.</summary>
    public const string Sha256Algorithm = "sha256";

    /// <summary>The name of the SHA-512 algorithm.</summary>
    public const string Sha512Algorithm = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary>The algorithm, <c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The lowercase hex encoding of the hash.</summary>
    public string Hex { get; }

    /// <summary>Whether this is the default (empty) value.</summary>
    public bool IsEmpty => Hex is null;

    /// <summary>Parses <c>algorithm:hex</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FormatException">The text is not a valid digest; the message says why.</exception>
    public static Digest Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var digest, out var error) ? digest : throw new FormatException(error);
    }

    /// <summary>Parses <c>algorithm:hex</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="digest">The digest, when the text is valid.</param>
    /// <returns>Whether the text is a valid digest.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    /// <summary>Parses <c>algorithm:hex</c>, explaining a failure.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="digest">The digest, when the text is valid.</param>
    /// <param name="error">Why the text is not valid, when it is not.</param>
    /// <returns>Whether the text is a valid digest.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "a digest is required (algorithm:hex, e.g. sha256:<64 lowercase hex digits>)";
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"'{Truncate(value)}' is not a digest: expected algorithm:hex, e.g. sha256:<64 lowercase hex digits>";
            return false;
        }

        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        return TryCreate(algorithm, hex, out digest, out error);
    }

    /// <summary>Creates a SHA-256 digest from bare hex (no <c>sha256:</c> prefix).</summary>
    /// <param name="hex">64 lowercase hex digits.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FormatException">The text is not 64 lowercase hex digits.</exception>
    public static Digest FromSha256Hex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryCreate(Sha256Algorithm, hex, out var digest, out var error) ? digest : throw new FormatException(error);
    }

    /// <summary>Creates a SHA-256 digest from bare hex (no <c>sha256:</c> prefix), without throwing.</summary>
    /// <param name="hex">The text to check: 64 lowercase hex digits.</param>
    /// <param name="digest">The digest, when valid.</param>
    /// <returns>Whether the text is 64 lowercase hex digits.</returns>
    public static bool TryFromSha256Hex([NotNullWhen(true)] string? hex, out Digest digest)
        => TryCreate(Sha256Algorithm, hex ?? string.Empty, out digest, out _);

    /// <summary>Parses a SHA-256 digest given either as bare hex or as <c>sha256:hex</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="digest">The digest, when valid.</param>
    /// <param name="error">Why the text is not valid, when it is not.</param>
    /// <returns>Whether the text is a valid SHA-256 digest.</returns>
    public static bool TryParseSha256([NotNullWhen(true)] string? value, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        if (value is not null && value.StartsWith("sha256:", StringComparison.Ordinal))
        {
            value = value[7..];
        }

        return TryCreate(Sha256Algorithm, value ?? string.Empty, out digest, out error);
    }

    /// <summary>Creates a digest from a computed hash.</summary>
    /// <param name="algorithm">The algorithm name.</param>
    /// <param name="hash">The hash bytes.</param>
    /// <returns>The digest.</returns>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var expectedLength = ExpectedHexLength(algorithm) / 2;
        if (expectedLength == 0 || hash.Length != expectedLength)
        {
            throw new ArgumentException($"a {algorithm} hash must be {expectedLength} bytes, got {hash.Length}", nameof(hash));
        }

        return new Digest(algorithm, Convert.ToHexStringLower(hash));
    }

    /// <summary>Computes the SHA-256 digest of bytes.</summary>
    /// <param name="content">The bytes.</param>
    /// <returns>The digest.</returns>
    public static Digest ComputeSha256(ReadOnlySpan<byte> content) => FromHash(Sha256Algorithm, SHA256.HashData(content));

    /// <summary>Computes the SHA-256 digest of a stream, reading it to the end without buffering it whole.</summary>
    /// <param name="content">The stream, read from its current position.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The digest.</returns>
    public static async Task<Digest> ComputeSha256Async(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return FromHash(Sha256Algorithm, hash);
    }

    /// <summary>Creates an incremental hasher for this digest's algorithm.</summary>
    /// <returns>A new hasher; dispose it.</returns>
    public IncrementalHash CreateHasher() => CreateHasher(Algorithm);

    /// <summary>Creates an incremental hasher for an algorithm.</summary>
    /// <param name="algorithm"><c>sha256</c> or <c>sha512</c>.</param>
    /// <returns>A new hasher; dispose it.</returns>
    public static IncrementalHash CreateHasher(string algorithm) => algorithm switch
    {
        Sha256Algorithm => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512Algorithm => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new NotSupportedException($"digest algorithm '{algorithm}' is not supported; use sha256 or sha512"),
    };

    /// <inheritdoc />
    public override string ToString() => IsEmpty ? string.Empty : $"{Algorithm}:{Hex}";

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var text = ToString();
        if (text.AsSpan().TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    private static bool TryCreate(string algorithm, string hex, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        digest = default;
        var expected = ExpectedHexLength(algorithm);
        if (expected == 0)
        {
            error = $"digest algorithm '{Truncate(algorithm)}' is not supported; use sha256";
            return false;
        }

        if (hex.Length != expected)
        {
            error = $"a {algorithm} digest has {expected} hex digits, '{Truncate(hex)}' has {hex.Length}";
            return false;
        }

        foreach (var c in hex)
        {
            if (c is >= 'A' and <= 'F')
            {
                error = $"digest '{Truncate(hex)}' must be lowercase hex (Envoy compares lowercase): write '{hex.ToLowerInvariant()}'";
                return false;
            }

            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                error = $"digest '{Truncate(hex)}' contains '{c}', which is not a hex digit";
                return false;
            }
        }

        digest = new Digest(algorithm, hex);
        error = null;
        return true;
    }

    private static int ExpectedHexLength(string algorithm) => algorithm switch
    {
        Sha256Algorithm => 64,
        Sha512Algorithm => 128,
        _ => 0,
    };

    private static string Truncate(string value) => value.Length <= 140 ? value : string.Concat(value.AsSpan(0, 140), "…");
}
