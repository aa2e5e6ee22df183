using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// An immutable string-to-string map (labels, annotations, matchLabels) with value equality and keys kept in
/// ordinal order, the order kubectl prints them in.
/// </summary>
[JsonConverter(typeof(LabelMapJsonConverter))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named for what it holds in Kubernetes terms.")]
public sealed class LabelMap : IReadOnlyDictionary<string, string>, IEquatable<LabelMap>
{
    private readonly ImmutableSortedDictionary<string, string> _items;

    /// <summary>An empty map.</summary>
    public static readonly LabelMap Empty = new(ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    private LabelMap(ImmutableSortedDictionary<string, string> items) => _items = items;

    /// <summary>Creates a map from pairs.</summary>
    /// <param name="pairs">The entries; later duplicates win.</param>
    /// <returns>The map.</returns>
    public static LabelMap From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            builder[key] = value;
        }

        return new LabelMap(builder.ToImmutable());
    }

    /// <summary>Creates a map from key/value tuples.</summary>
    /// <param name="pairs">The entries.</param>
    /// <returns>The map.</returns>
    public static LabelMap Of(params (string Key, string Value)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return From(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));
    }

    /// <inheritdoc />
    public string this[string key] => _items[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _items.Values;

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>Returns a copy with one entry set.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new map.</returns>
    public LabelMap With(string key, string value) => new(_items.SetItem(key, value));

    /// <inheritdoc />
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out string value) => _items.TryGetValue(key, out value!);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(LabelMap? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (var (key, value) in _items)
        {
            if (!other._items.TryGetValue(key, out var otherValue) || !string.Equals(value, otherValue, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LabelMap);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var (key, value) in _items)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The map as compact JSON, as kubectl prints a map column: <c>{"app":"details"}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, ModelJsonContext.Default.LabelMap);
}
