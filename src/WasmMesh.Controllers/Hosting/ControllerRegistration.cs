namespace WasmMesh.Controllers;

/// <summary>A controller registered with <see cref="WasmMeshControllersBuilder.AddController{TReconciler}"/>.</summary>
internal sealed class ControllerRegistration(string name, Type reconcilerType)
{
    public string Name { get; } = name;

    public Type ReconcilerType { get; } = reconcilerType;

    public List<Func<IServiceProvider, IControllerSource>> Sources { get; } = [];
}
