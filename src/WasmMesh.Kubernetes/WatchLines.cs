using System.Diagnostics.CodeAnalysis;

namespace WasmMesh.Kubernetes;

/// <summary>
/// The line reader KubernetesClient attaches to a watch response: <c>k8s.Kubernetes</c> replaces the content of every
/// <c>watch=true</c> response with its own line-separated content, which has read the first line already and exposes the rest
/// only through its <c>StreamReader</c> property.
/// </summary>
internal static class WatchLines
{
    /// <summary>The reader of KubernetesClient's line-separated watch content, or null for plain content (read its stream).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "KubernetesClient reads the property itself (its watch support), so it is kept; when absent the plain stream is read.")]
    public static TextReader? ReaderOf(HttpContent content)
    {
        var type = content.GetType();
        if (type.Assembly != typeof(k8s.Kubernetes).Assembly)
        {
            return null;
        }

        return type.GetProperty("StreamReader")?.GetValue(content) as TextReader;
    }
}
