using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WasmMesh.Testing;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

/// <summary>A custom resource type modelled as KubernetesClient models are: IKubernetesObject with V1ObjectMeta.</summary>
[KubernetesEntity(Group = "example.com", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed record Widget : IKubernetesObject<V1ObjectMeta>, ISpec<WidgetSpec?>, IStatus<WidgetStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "example.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }
}

public sealed record WidgetSpec
{
    [JsonPropertyName("size")]
    public int? Size { get; init; }

    [JsonPropertyName("color")]
    public string? Color { get; init; }
}

public sealed record WidgetStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Widget))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class WidgetJsonContext : JsonSerializerContext
{
}

public static class Widgets
{
    public static KubernetesResourceType Type { get; } = KubernetesResourceType.Of<Widget>();

    public const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    public static IKubernetesResourceClient<Widget> Client(IKubernetes client) => client.Resource(Type, WidgetJsonContext.Default.Widget);

    public static Widget New(string ns, string name, int size = 1, string color = "red", Dictionary<string, string>? labels = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels }, Spec = new WidgetSpec { Size = size, Color = color } };
}

/// <summary>A test server with the Widget CRD; each test uses its own namespace.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private int _counter;

    public KubernetesTestServer Server { get; } = new(new KubernetesTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    public k8s.Kubernetes Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.StartAsync();
        await Server.ApplyYamlAsync(Widgets.Crd);
        Client = new k8s.Kubernetes(Server.ClientConfiguration);
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"t{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
