namespace WasmMesh.Model;

/// <summary>Creates <see cref="EquatableArray{T}"/> values (also from collection expressions).</summary>
public static class EquatableArray
{
    /// <summary>Creates a list from items.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(System.Collections.Immutable.ImmutableArray.Create(items));
}
