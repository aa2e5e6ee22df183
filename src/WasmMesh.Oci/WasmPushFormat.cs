namespace WasmMesh.Oci;

/// <summary>The layout <see cref="IWasmRegistryClient.PushAsync"/> writes.</summary>
public enum WasmPushFormat
{
    /// <summary>
    /// The compat image (default): an OCI image manifest with an image config (os/architecture/rootfs.diff_ids), one
    /// reproducible tar+gzip layer holding <c>plugin.wasm</c>, and the annotation
    /// <c>module.wasm.image/variant=compat</c>. Read by Istio, Envoy Gateway and docker.
    /// </summary>
    Image,

    /// <summary>
    /// The wasme artifact: config <c>application/vnd.module.wasm.config.v1+json</c> (also layer 1), then the raw
    /// module as <c>application/vnd.module.wasm.content.layer.v1+wasm</c>.
    /// </summary>
    Artifact,
}
