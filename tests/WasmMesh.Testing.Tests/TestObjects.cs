using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using WasmMesh.Kubernetes;

namespace WasmMesh.Testing.Tests;

/// <summary>Any custom resource: type meta and metadata typed, every other field kept as JSON.</summary>
public sealed class GenericKubernetesObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = null!;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = null!;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Fields { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenericKubernetesObject))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class TestObjectsJsonContext : JsonSerializerContext
{
}

public static class GenericClientExtensions
{
    public static IKubernetesResourceClient<GenericKubernetesObject> Generic(this IKubernetes client, KubernetesResourceType type) =>
        client.Resource(type, TestObjectsJsonContext.Default.GenericKubernetesObject);
}
