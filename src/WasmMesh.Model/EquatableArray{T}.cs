using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>
/// An immutable list with value equality, so that records holding lists compare by content.
/// Serialises as a JSON array; <see langword="default"/> behaves as an empty list.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[JsonConverter(typeof(EquatableArrayJsonConverterFactory))]
[System.Runtime.CompilerServices.CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>, IEquatableArrayJsonConverterSource
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Wraps items.</summary>
    /// <param name="items">The items.</param>
    public EquatableArray(ImmutableArray<T> items) => _items = items;

    /// <summary>Wraps items.</summary>
    /// <param name="items">The items.</param>
    public EquatableArray(IEnumerable<T> items) => _items = [.. items];

    /// <summary>The items as an immutable array (empty when default).</summary>
    public ImmutableArray<T> Items => _items.IsDefault ? [] : _items;

    /// <inheritdoc />
    public int Count => Items.Length;

    /// <summary>Whether the list has no items.</summary>
    public bool IsEmpty => Count == 0;

    /// <inheritdoc />
    public T this[int index] => Items[index];

    /// <summary>Wraps an array.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator EquatableArray<T>(T[] items) => new(ImmutableArray.Create(items));

    /// <summary>Wraps an immutable array.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator EquatableArray<T>(ImmutableArray<T> items) => new(items);

    /// <summary>Compares by content.</summary>
    /// <param name="left">The left list.</param>
    /// <param name="right">The right list.</param>
    /// <returns>Whether both hold equal items in the same order.</returns>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Compares by content.</summary>
    /// <param name="left">The left list.</param>
    /// <param name="right">The right list.</param>
    /// <returns>Whether the lists differ.</returns>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(EquatableArray<T> other) => Items.AsSpan().SequenceEqual(other.Items.AsSpan(), EqualityComparer<T>.Default);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    JsonConverter IEquatableArrayJsonConverterSource.CreateJsonConverter() => new EquatableArrayJsonConverter<T>();

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}
