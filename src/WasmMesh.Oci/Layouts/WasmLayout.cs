namespace WasmMesh.Oci;

/// <summary>How a wasm module is stored in a manifest (see the layouts readers in the wild accept).</summary>
public enum WasmLayout
{
    /// <summary>A Docker v2 manifest with a tar.gz layer holding <c>plugin.wasm</c> (the last such layer wins).</summary>
    DockerImage,

    /// <summary>
    /// An OCI image manifest (image config) with a tar+gzip layer holding <c>plugin.wasm</c> (the last such layer wins): the
    /// <c>compat</c> image format Istio, Envoy Gateway and docker read. What <see cref="WasmPushFormat.Image"/> writes.
    /// </summary>
    OciImage,

    /// <summary>
    /// An ORAS-style artifact (non-image config such as <c>application/vnd.oci.empty.v1+json</c>, or an
    /// <c>artifactType</c>) with a tar+gzip layer holding <c>plugin.wasm</c> (e.g. Higress <c>plugin.tar.gz</c>).
    /// </summary>
    OrasArchive,

    /// <summary>
    /// The solo.io wasme shape: exactly two layers, the runtime config then an
    /// <c>application/vnd.module.wasm.content.layer.v1+wasm</c> raw module. What <see cref="WasmPushFormat.Artifact"/> writes.
    /// </summary>
    WasmeArtifact,

    /// <summary>The CNCF wasm OCI artifact: config <c>application/vnd.wasm.config.v0+json</c>, one <c>application/wasm</c> layer.</summary>
    CncfWasmArtifact,

    /// <summary>wasm-to-oci: one <c>application/vnd.wasm.content.layer.v1+wasm</c> raw layer.</summary>
    WasmToOci,

    /// <summary>A single <c>application/vnd.module.wasm.content.layer.v1+wasm</c> raw layer (Istio rejects this one).</summary>
    SingleRawLayer,

    /// <summary>
    /// A file pushed with ORAS (<c>oras push ref plugin.wasm</c>): a layer whose blob is the raw module, named by its
    /// <c>org.opencontainers.image.title</c> annotation, of media type <c>application/vnd.oci.image.layer.v1.tar</c>
    /// (ORAS's default) or any other. Recognised by a <c>*.wasm</c> title, or by the wasm magic of a titled file.
    /// </summary>
    OrasFile,
}
