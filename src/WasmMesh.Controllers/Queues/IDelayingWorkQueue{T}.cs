namespace WasmMesh.Controllers;

/// <summary>A <see cref="IWorkQueue{T}"/> that can also add keys after a delay.</summary>
/// <typeparam name="T">The key type.</typeparam>
public interface IDelayingWorkQueue<T> : IWorkQueue<T>
    where T : notnull
{
    /// <summary>
    /// Adds <paramref name="item"/> once <paramref name="delay"/> has passed (immediately when it is zero or
    /// negative). When the key is already waiting for a delay, the earlier of the two deadlines wins.
    /// </summary>
    /// <param name="item">The key.</param>
    /// <param name="delay">How long to wait before adding.</param>
    void AddAfter(T item, TimeSpan delay);
}
