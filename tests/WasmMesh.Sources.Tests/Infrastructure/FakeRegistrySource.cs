using System.Collections.Concurrent;

namespace WasmMesh.Sources.Tests.Infrastructure;

/// <summary>An in-memory registry: tags point at manifest digests, manifests hold module bytes.</summary>
internal sealed class FakeRegistrySource : IRegistryModuleSource
{
    private readonly ConcurrentDictionary<string, Digest> _tags = new();
    private readonly ConcurrentDictionary<Digest, byte[]> _manifests = new();
    private int _resolves;
    private int _pulls;

    public int Resolves => _resolves;

    public int Pulls => _pulls;

    public ReadOnlyMemory<byte> LastPullSecret { get; private set; }

    /// <summary>When set, pulls wait for it before they answer.</summary>
    public TaskCompletionSource? PullGate { get; init; }

    public async Task WaitForPullsAsync(int count, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pulls) < count)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public Digest Push(string repositoryAndTag, byte[] module)
    {
        var manifest = Digest.ComputeSha256([.. "manifest:"u8, .. module]);
        _manifests[manifest] = module;
        _tags[repositoryAndTag] = manifest;
        return manifest;
    }

    public Task<Digest> ResolveAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _resolves);
        return _tags.TryGetValue($"{image.Repository}:{image.Tag}", out var digest)
            ? Task.FromResult(digest)
            : throw new WasmSourceException(WasmSourceKind.Registry, image.ToString(), "manifest unknown", System.Net.HttpStatusCode.NotFound, isTransient: false);
    }

    public async Task<RegistryModule> PullAsync(ImageReference image, ReadOnlyMemory<byte> pullSecret, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pulls);
        if (PullGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        LastPullSecret = pullSecret;
        var manifest = image.Digest ?? throw new InvalidOperationException("pulls are expected by digest");
        var stream = new MemoryStream(_manifests[manifest]);
        return new RegistryModule(manifest, "test-layout", stream, stream);
    }
}
