namespace WasmMesh.Oci;

/// <summary>The media types of OCI and Docker manifests, configs and layers, and of the wasm layouts in the wild.</summary>
public static class MediaTypes
{
    /// <summary>An OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>An OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>An OCI tar layer compressed with gzip.</summary>
    public const string OciLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>An uncompressed OCI tar layer.</summary>
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>The OCI empty descriptor (<c>{}</c>), used as config by ORAS 1.x artifacts.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>A Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>A Docker manifest list (multi-platform image).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>A Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>A Docker tar layer compressed with gzip.</summary>
    public const string DockerLayerTarGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>The solo.io wasme config (also pushed as the first layer).</summary>
    public const string WasmeConfig = "application/vnd.module.wasm.config.v1+json";

    /// <summary>The solo.io wasme raw wasm layer.</summary>
    public const string WasmeContentLayer = "application/vnd.module.wasm.content.layer.v1+wasm";

    /// <summary>The CNCF wasm OCI artifact config.</summary>
    public const string CncfWasmConfig = "application/vnd.wasm.config.v0+json";

    /// <summary>The CNCF wasm OCI artifact layer (raw wasm).</summary>
    public const string CncfWasmLayer = "application/wasm";

    /// <summary>The wasm-to-oci config.</summary>
    public const string WasmToOciConfig = "application/vnd.wasm.config.v1+json";

    /// <summary>The wasm-to-oci raw wasm layer.</summary>
    public const string WasmToOciContentLayer = "application/vnd.wasm.content.layer.v1+wasm";

    /// <summary>Every manifest media type the client accepts, as sent in <c>Accept</c>.</summary>
    public static IReadOnlyList<string> AllManifests { get; } = [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    /// <summary>Whether a media type names an image index or a Docker manifest list.</summary>
    /// <param name="mediaType">The media type.</param>
    /// <returns>Whether it is an index.</returns>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether a media type is a gzip-compressed tar layer (OCI or Docker).</summary>
    /// <param name="mediaType">The media type.</param>
    /// <returns>Whether it is a tar+gzip layer.</returns>
    public static bool IsTarGzipLayer(string? mediaType) => mediaType is OciLayerTarGzip or DockerLayerTarGzip;
}
