namespace WasmMesh;

/// <summary>
/// Reads and writes <c>metav1.MicroTime</c>: RFC 3339 in UTC with six fractional digits
/// (<c>2021-10-27T10:00:36.123456Z</c>), as Lease and Event times require.
/// </summary>
public sealed class KubernetesMicroTimeConverter() : KubernetesTimeConverterBase("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
