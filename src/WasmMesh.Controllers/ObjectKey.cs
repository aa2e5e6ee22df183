using System.Diagnostics.CodeAnalysis;

namespace WasmMesh.Controllers;

/// <summary>
/// Identifies one Kubernetes object by namespace and name: the key a controller's work queue
/// deduplicates on and a reconciler receives. Printed and parsed as <c>namespace/name</c>, or as
/// just <c>name</c> for cluster-scoped objects (empty <see cref="Namespace"/>).
/// </summary>
public readonly record struct ObjectKey : IComparable<ObjectKey>
{
    private readonly string? _namespace;
    private readonly string? _name;

    /// <summary>Creates a key.</summary>
    /// <param name="objectNamespace">The namespace; empty for a cluster-scoped object.</param>
    /// <param name="name">The object name; must not be empty.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a part contains <c>/</c>.</exception>
    public ObjectKey(string objectNamespace, string name)
    {
        ArgumentNullException.ThrowIfNull(objectNamespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (objectNamespace.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The namespace '{objectNamespace}' must not contain '/'.", nameof(objectNamespace));
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The name '{name}' must not contain '/'.", nameof(name));
        }

        _namespace = objectNamespace;
        _name = name;
    }

    /// <summary>The namespace, or empty for a cluster-scoped object.</summary>
    public string Namespace => _namespace ?? string.Empty;

    /// <summary>The object name.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>True when the object is cluster-scoped (no namespace).</summary>
    public bool IsClusterScoped => Namespace.Length == 0;

    /// <summary>Parses <c>namespace/name</c> or <c>name</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException"><paramref name="value"/> is not a valid key.</exception>
    public static ObjectKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var key)
            ? key
            : throw new FormatException($"'{value}' is not an object key: expected 'namespace/name' or 'name' with non-empty parts and at most one '/'.");
    }

    /// <summary>Tries to parse <c>namespace/name</c> or <c>name</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="key">The key when the text is valid.</param>
    /// <returns>True when <paramref name="value"/> is a valid key.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out ObjectKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            key = new ObjectKey(string.Empty, value);
            return true;
        }

        if (slash == 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        key = new ObjectKey(value[..slash], value[(slash + 1)..]);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Orders keys by namespace, then name (ordinal).</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(ObjectKey left, ObjectKey right) => left.CompareTo(right) < 0;

    /// <summary>Orders keys by namespace, then name (ordinal).</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(ObjectKey left, ObjectKey right) => left.CompareTo(right) > 0;

    /// <summary>Orders keys by namespace, then name (ordinal).</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>True when <paramref name="left"/> sorts first or equal.</returns>
    public static bool operator <=(ObjectKey left, ObjectKey right) => left.CompareTo(right) <= 0;

    /// <summary>Orders keys by namespace, then name (ordinal).</summary>
    /// <param name="left">The left key.</param>
    /// <param name="right">The right key.</param>
    /// <returns>True when <paramref name="left"/> sorts last or equal.</returns>
    public static bool operator >=(ObjectKey left, ObjectKey right) => left.CompareTo(right) >= 0;

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    /// <returns>The key as text.</returns>
    public override string ToString() => IsClusterScoped ? Name : $"{Namespace}/{Name}";
}
