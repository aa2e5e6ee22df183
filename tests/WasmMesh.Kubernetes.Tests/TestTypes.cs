using System.Text.Json;
using System.Text.Json.Serialization;
using WasmMesh.Testing;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

/// <summary>A custom resource type that does not derive from KubernetesObject, with its own metadata type.</summary>
public sealed record Widget
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = "example.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "Widget";

    [JsonPropertyName("metadata")]
    public WidgetMetadata Metadata { get; init; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; init; }
}

public sealed record WidgetMetadata
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }

    [JsonPropertyName("generation")]
    public long? Generation { get; init; }

    [JsonPropertyName("uid")]
    public string? Uid { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("finalizers")]
    public List<string>? Finalizers { get; init; }

    [JsonPropertyName("deletionTimestamp")]
    public string? DeletionTimestamp { get; init; }

    [JsonPropertyName("ownerReferences")]
    public List<JsonElement>? OwnerReferences { get; init; }
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
public sealed partial class WidgetJsonContext : JsonSerializerContext
{
}

public static class Widgets
{
    public static KubernetesResourceType Type { get; } = new() { Group = "example.com", Version = "v1", Plural = "widgets", Kind = "Widget" };

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

    public static IKubernetesResourceClient<Widget> Client(IKubernetesClient client) => client.Resource(Type, WidgetJsonContext.Default.Widget);

    public static Widget New(string ns, string name, int size = 1, string color = "red", Dictionary<string, string>? labels = null) =>
        new() { Metadata = new WidgetMetadata { Name = name, Namespace = ns, Labels = labels }, Spec = new WidgetSpec { Size = size, Color = color } };
}

/// <summary>A test server with the Widget CRD; each test uses its own namespace.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private int _counter;

    public KubernetesTestServer Server { get; } = new(new KubernetesTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    public KubernetesClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.StartAsync();
        await Server.ApplyYamlAsync(Widgets.Crd);
        Client = new KubernetesClient(Server.ClientConfiguration);
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"t{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.Namespaces().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } });
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
