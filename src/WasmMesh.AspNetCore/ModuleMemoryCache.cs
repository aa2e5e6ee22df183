using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Verified module bytes kept in memory, within a byte budget, so that full GETs of popular modules are one
/// write from memory. Contents are immutable by digest: bytes are hashed again when loaded, admitted while the
/// budget allows, and dropped once the module has left the disk cache.
/// </summary>
internal sealed class ModuleMemoryCache(IWasmModuleCache cache, IOptions<WasmServingOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytes;

    /// <summary>The bytes held in memory.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The module's bytes when they are in memory; otherwise starts loading them (once) when they fit, and returns <see langword="null"/>.</summary>
    public byte[]? TryGet(CachedWasmModule module)
    {
        if (_entries.TryGetValue(module.Sha256.Hex, out var entry))
        {
            return entry.Content;
        }

        var settings = options.Value;
        if (module.Size > settings.MaxMemoryCachedModuleSize)
        {
            return null;
        }

        if (Bytes + module.Size > settings.MemoryCacheBytes)
        {
            Sweep();
            if (Bytes + module.Size > settings.MemoryCacheBytes)
            {
                return null;
            }
        }

        var loading = new Entry();
        if (_entries.TryAdd(module.Sha256.Hex, loading))
        {
            loading.Loading = LoadAsync(module, loading);
        }

        return null;
    }

    /// <summary>Completes when a load started by <see cref="TryGet"/> has finished (for tests).</summary>
    internal Task WhenLoadedAsync(string hex) => _entries.TryGetValue(hex, out var entry) ? entry.Loading : Task.CompletedTask;

    /// <summary>Drops a module (it left the disk cache, or its file is in doubt).</summary>
    public void Remove(string hex)
    {
        lock (_gate)
        {
            if (_entries.TryRemove(hex, out var entry) && entry.Content is { } content)
            {
                Interlocked.Add(ref _bytes, -content.Length);
            }
        }
    }

    private void Sweep()
    {
        foreach (var hex in _entries.Keys)
        {
            if (!cache.Contains(Digest.FromSha256Hex(hex)))
            {
                Remove(hex);
            }
        }
    }

    private async Task LoadAsync(CachedWasmModule module, Entry entry)
    {
        var hex = module.Sha256.Hex;
        try
        {
            var bytes = await File.ReadAllBytesAsync(module.Path).ConfigureAwait(false);
            if (bytes.Length != module.Size || Convert.ToHexStringLower(SHA256.HashData(bytes)) != hex)
            {
                cache.MarkUnverified(module.Sha256);
                _entries.TryRemove(new KeyValuePair<string, Entry>(hex, entry));
                return;
            }

            lock (_gate)
            {
                var stillWanted = _entries.TryGetValue(hex, out var current) && ReferenceEquals(current, entry);
                if (!stillWanted || Bytes + bytes.Length > options.Value.MemoryCacheBytes)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(hex, entry));
                    return;
                }

                Interlocked.Add(ref _bytes, bytes.Length);
                entry.Content = bytes;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(hex, entry));
        }
    }

    private sealed class Entry
    {
        private volatile byte[]? _content;

        public Task Loading { get; set; } = Task.CompletedTask;

        public byte[]? Content
        {
            get => _content;
            set => _content = value;
        }
    }
}
