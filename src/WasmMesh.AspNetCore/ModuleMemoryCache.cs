using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WasmMesh.Sources;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Verified module bytes kept in memory, within a byte budget, so that GETs of popular modules are writes from memory.
/// The bytes are read from the verified file (its identity checked on the open handle before and after the read) and
/// not hashed again; they belong to one verified module: when the cache verifies the file again (it changed, or was in
/// doubt), the bytes are loaded again. Modules that left the disk cache are dropped.
/// </summary>
internal sealed class ModuleMemoryCache(IWasmModuleProvider provider, IOptions<WasmServingOptions> options)
{
    private readonly ConcurrentDictionary<Digest, Entry> _entries = new();
    private readonly Lock _gate = new();
    private long _bytes;

    /// <summary>The bytes held in memory.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The module's bytes when they are in memory; otherwise starts loading them (once) when they fit, and returns <see langword="null"/>.</summary>
    public byte[]? TryGet(WasmModuleResult module)
    {
        if (_entries.TryGetValue(module.Sha256, out var entry))
        {
            if (ReferenceEquals(entry.Module, module))
            {
                return entry.Content;
            }

            // The file was verified again since these bytes were read: read them again from that file.
            Remove(module.Sha256, entry);
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

        var loading = new Entry(module);
        if (_entries.TryAdd(module.Sha256, loading))
        {
            loading.Loading = LoadAsync(loading);
        }

        return null;
    }

    /// <summary>Completes when a load started by <see cref="TryGet"/> has finished (for tests).</summary>
    internal Task WhenLoadedAsync(Digest sha256) => _entries.TryGetValue(sha256, out var entry) ? entry.Loading : Task.CompletedTask;

    /// <summary>Drops a module (it left the disk cache, or its file is in doubt).</summary>
    public void Remove(Digest sha256)
    {
        if (_entries.TryGetValue(sha256, out var entry))
        {
            Remove(sha256, entry);
        }
    }

    private void Remove(Digest sha256, Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryRemove(new KeyValuePair<Digest, Entry>(sha256, entry)) && entry.Content is { } content)
            {
                Interlocked.Add(ref _bytes, -content.Length);
            }
        }
    }

    private void Sweep()
    {
        foreach (var (sha256, entry) in _entries)
        {
            if (!provider.Contains(sha256))
            {
                Remove(sha256, entry);
            }
        }
    }

    private async Task LoadAsync(Entry entry)
    {
        var module = entry.Module;
        try
        {
            byte[]? bytes = null;
            using (var handle = provider.TryOpen(module))
            {
                if (handle is not null && RandomAccess.GetLength(handle) == module.Size)
                {
                    bytes = GC.AllocateUninitializedArray<byte>((int)module.Size);
                    var read = 0;
                    while (read < bytes.Length)
                    {
                        var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read).ConfigureAwait(false);
                        if (n == 0)
                        {
                            bytes = null;
                            break;
                        }

                        read += n;
                    }
                }
            }

            // Checked again after the read: a file changed while it was read is not kept.
            using (var after = bytes is null ? null : provider.TryOpen(module))
            {
                if (after is null)
                {
                    _entries.TryRemove(new KeyValuePair<Digest, Entry>(module.Sha256, entry));
                    return;
                }
            }

            lock (_gate)
            {
                var stillWanted = _entries.TryGetValue(module.Sha256, out var current) && ReferenceEquals(current, entry);
                if (!stillWanted || Bytes + bytes!.Length > options.Value.MemoryCacheBytes)
                {
                    _entries.TryRemove(new KeyValuePair<Digest, Entry>(module.Sha256, entry));
                    return;
                }

                Interlocked.Add(ref _bytes, bytes.Length);
                entry.Content = bytes;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            provider.MarkUnverified(module.Sha256);
            _entries.TryRemove(new KeyValuePair<Digest, Entry>(module.Sha256, entry));
        }
    }

    private sealed class Entry(WasmModuleResult module)
    {
        private volatile byte[]? _content;

        public WasmModuleResult Module { get; } = module;

        public Task Loading { get; set; } = Task.CompletedTask;

        public byte[]? Content
        {
            get => _content;
            set => _content = value;
        }
    }
}
