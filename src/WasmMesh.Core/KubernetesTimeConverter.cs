namespace WasmMesh;

/// <summary>
/// Reads and writes <c>metav1.Time</c>: RFC 3339 in UTC with whole seconds (<c>2021-10-27T10:00:36Z</c>).
/// </summary>
public sealed class KubernetesTimeConverter() : KubernetesTimeConverterBase("yyyy-MM-dd'T'HH:mm:ss'Z'");
