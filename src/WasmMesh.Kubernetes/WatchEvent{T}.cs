using k8s;
using k8s.Models;

namespace WasmMesh.Kubernetes;

/// <summary>One event of a watch stream.</summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed record WatchEvent<T>
    where T : class
{
    /// <summary>What happened.</summary>
    public required WatchEventType Type { get; init; }

    /// <summary>
    /// The object; null for a <see cref="WatchEventType.Bookmark"/> (only <see cref="Metadata"/> is meaningful) and
    /// when it could not be decoded (<see cref="DecodeError"/> says why).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The watch event field is named object.")]
    public T? Object { get; init; }

    /// <summary>The object's metadata, read from the same JSON even when the object itself could not be decoded.</summary>
    public required V1ObjectMeta Metadata { get; init; }

    /// <summary>Why the object could not be decoded as <typeparamref name="T"/>; null when it was.</summary>
    public string? DecodeError { get; init; }
}
