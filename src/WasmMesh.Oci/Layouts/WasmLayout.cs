namespace WasmMesh.Oci;

/// <summary>How a wasm module is stored in a manifest (see the layouts readers in the wild accept).</summary>
public enum WasmLayout
{
    /// <summary>A Docker v2 manifest whose last layer is a tar.gz holding <c>plugin.wasm</c>.</summary>
    DockerImage,

    /// <summary>
    /// An OCI image manifest (image config) whose last layer is a tar+gzip holding <c>plugin.wasm</c>: the
    /// <c>compat</c> image format Istio, Envoy Gateway and docker read. What <see cref="WasmPushFormat.Image"/> writes.
    /// </summary>
    OciImage,

    /// <summary>
    /// An ORAS-style artifact (non-image config such as <c>application/vnd.oci.empty.v1+json</c>, or an
    /// <c>artifactType</c>) whose last layer is a tar+gzip holding <c>plugin.wasm</c> (e.g. Higress <c>plugin.tar.gz</c>).
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
}
