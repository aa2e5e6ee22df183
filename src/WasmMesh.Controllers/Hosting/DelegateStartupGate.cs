namespace WasmMesh.Controllers;

/// <summary>An <see cref="IStartupGate"/> backed by a delegate.</summary>
internal sealed class DelegateStartupGate(string name, Func<CancellationToken, Task> waitAsync) : IStartupGate
{
    public string Name { get; } = name;

    public Task WaitAsync(CancellationToken cancellationToken) => waitAsync(cancellationToken);
}
