using System.Collections.Concurrent;

namespace WasmMesh.Oci;

/// <summary>Bearer tokens cached per registry, scope and credentials until shortly before they expire.</summary>
internal sealed class TokenCache(TimeProvider timeProvider)
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public static string Key(string registry, string scope, RegistryCredentials? credentials)
        => $"{registry}|{scope}|{credentials?.Fingerprint() ?? "anonymous"}";

    public bool TryGet(string key, out string token)
    {
        if (_tokens.TryGetValue(key, out var entry) && entry.Expires > timeProvider.GetUtcNow())
        {
            token = entry.Token;
            return true;
        }

        token = string.Empty;
        return false;
    }

    public void Set(string key, string token, TimeSpan lifetime)
    {
        if (lifetime < TimeSpan.FromSeconds(60))
        {
            lifetime = TimeSpan.FromSeconds(60);
        }

        _tokens[key] = (token, timeProvider.GetUtcNow() + lifetime - Margin);
    }

    public void Remove(string key) => _tokens.TryRemove(key, out _);
}
