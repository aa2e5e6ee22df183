namespace WasmMesh.Oci;

/// <summary>Progress of an upload or download.</summary>
/// <param name="Description">What is transferred, e.g. <c>push 127.0.0.1:5000/team/filter:v1</c>.</param>
/// <param name="BytesTransferred">Bytes transferred so far.</param>
/// <param name="TotalBytes">Total bytes, when known.</param>
public sealed record TransferProgress(string Description, long BytesTransferred, long? TotalBytes);
