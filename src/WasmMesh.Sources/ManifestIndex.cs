using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WasmMesh.Sources;

/// <summary>
/// Which module each registry manifest was seen to hold (<c>&lt;cache&gt;/manifests/sha256/&lt;manifest hex&gt;</c>, one
/// file each: the module's hex, then the layout), so that a tag resolving to a known manifest needs no pull, across restarts.
/// </summary>
internal sealed class ManifestIndex
{
    private const string TempPrefix = ".tmp-";

    private readonly ConcurrentDictionary<Digest, Entry> _records = new();
    private readonly string _directory;
    private readonly ILogger _logger;

    public ManifestIndex(string directory, ILogger logger)
    {
        _directory = directory;
        _logger = logger;
        Directory.CreateDirectory(directory);
        Load();
    }

    /// <summary>The module a manifest was last seen to hold.</summary>
    public bool TryGet(Digest manifestDigest, out Digest module, out string? layout)
    {
        if (_records.TryGetValue(manifestDigest, out var record))
        {
            module = record.Module;
            layout = record.Layout;
            return true;
        }

        module = default;
        layout = null;
        return false;
    }

    /// <summary>Records which module a manifest holds (sha256 manifests only; others are simply not remembered).</summary>
    public void Record(Digest manifestDigest, Digest module, string? layout)
    {
        if (manifestDigest.Algorithm != Digest.Sha256Algorithm)
        {
            return;
        }

        var record = new Entry(module, layout);
        if (_records.TryGetValue(manifestDigest, out var existing) && existing == record)
        {
            return;
        }

        var path = System.IO.Path.Combine(_directory, manifestDigest.Hex);
        var temp = System.IO.Path.Combine(_directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(temp, module.Hex + "\n" + (layout ?? string.Empty) + "\n");
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            Log.DeleteFailed(_logger, path, ex.Message);
        }

        _records[manifestDigest] = record;
    }

    /// <summary>Forgets every manifest whose module is no longer cached.</summary>
    public void Prune(Func<Digest, bool> isCached)
    {
        foreach (var (manifest, record) in _records)
        {
            if (!isCached(record.Module) && _records.TryRemove(new KeyValuePair<Digest, Entry>(manifest, record)))
            {
                TryDelete(System.IO.Path.Combine(_directory, manifest.Hex));
            }
        }
    }

    private void Load()
    {
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = System.IO.Path.GetFileName(path);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                TryDelete(path);
                continue;
            }

            if (!Digest.TryFromSha256Hex(name, out var manifest))
            {
                continue;
            }

            try
            {
                var lines = File.ReadAllLines(path);
                if (lines.Length >= 1 && Digest.TryFromSha256Hex(lines[0], out var module))
                {
                    _records[manifest] = new Entry(module, lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null);
                }
            }
            catch (IOException ex)
            {
                Log.DeleteFailed(_logger, path, ex.Message);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(_logger, path, ex.Message);
        }
    }

    private sealed record Entry(Digest Module, string? Layout);
}
