using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using WasmMesh.TestSupport;

namespace Wasmc.Tests.Registry;

/// <summary>
/// Talks to the test registry with plain HTTP calls (no WasmMesh code), so signatures and layouts written
/// here are produced outside the product.
/// </summary>
internal sealed class RawRegistry(RegistryServer server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server.BaseUri };

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async Task<string> PushBlobAsync(string repository, byte[] bytes, CancellationToken cancellationToken)
    {
        var digest = Sha256(bytes);
        using var start = await _http.PostAsync($"/v2/{repository}/blobs/uploads/", new ByteArrayContent([]), cancellationToken);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(server.BaseUri, location);
        var separator = target.Query.Length > 0 ? "&" : "?";
        using var put = await _http.PutAsync(new Uri(target + separator + "digest=" + Uri.EscapeDataString(digest)), new ByteArrayContent(bytes), cancellationToken);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    public async Task<string> PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync($"/v2/{repository}/manifests/{reference}", content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Sha256(manifest);
    }

    public async Task<byte[]> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
        => await _http.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", cancellationToken);

    /// <summary>Pushes a cosign simple-signing signature manifest with one layer per (payload, signature).</summary>
    public async Task PushSimpleSignatureAsync(string repository, string tag, IEnumerable<(byte[] Payload, byte[] Signature)> layers, CancellationToken cancellationToken)
    {
        var descriptors = new List<string>();
        var diffIds = new List<string>();
        foreach (var (payload, signature) in layers)
        {
            var digest = await PushBlobAsync(repository, payload, cancellationToken);
            diffIds.Add($"\"{digest}\"");
            descriptors.Add($"{{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":{payload.Length},\"digest\":\"{digest}\",\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"{Convert.ToBase64String(signature)}\"}}}}");
        }

        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"\",\"config\":{{}},\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{{\"created\":\"0001-01-01T00:00:00Z\"}}],\"os\":\"\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(",", diffIds)}]}}}}");
        var configDigest = await PushBlobAsync(repository, config, cancellationToken);
        var manifest = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":{config.Length},\"digest\":\"{configDigest}\"}},\"layers\":[{string.Join(",", descriptors)}]}}");
        await PutManifestAsync(repository, tag, manifest, "application/vnd.oci.image.manifest.v1+json", cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
