namespace WasmMesh.Operator;

/// <summary>Reads a Secret's data. The operator only ever asks for Secrets in the namespace of the AutoWasm that names them.</summary>
internal interface ISecretDataReader
{
    /// <summary>Reads a Secret.</summary>
    /// <param name="namespaceName">The namespace (always the AutoWasm's own).</param>
    /// <param name="name">The Secret's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decoded data, or <see langword="null"/> when the Secret does not exist.</returns>
    Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(string namespaceName, string name, CancellationToken cancellationToken = default);
}
