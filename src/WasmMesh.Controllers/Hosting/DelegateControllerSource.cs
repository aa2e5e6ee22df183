namespace WasmMesh.Controllers;

/// <summary>An <see cref="IControllerSource"/> backed by a delegate.</summary>
internal sealed class DelegateControllerSource(Func<IController, CancellationToken, Task> runAsync) : IControllerSource
{
    public Task RunAsync(IController controller, CancellationToken cancellationToken) => runAsync(controller, cancellationToken);
}
