using System.Text.Json.Nodes;
using WasmMesh.EndToEnd.Tests.Infrastructure;
using WasmMesh.Model;
using WasmMesh.Model.Yaml;
using WasmMesh.TestSupport;

namespace WasmMesh.EndToEnd.Tests;

/// <summary>samples/Wasmer/deploy: the kustomization builds, and its CRD cannot drift from the model's.</summary>
public sealed class DeployManifestTests
{
    private static string DeployDirectory => Path.Combine(RepoPaths.Root, "samples", "Wasmer", "deploy");

    [Fact]
    public async Task Crd_DeployCopy_IsIdenticalToModelCrd()
    {
        var deployed = await File.ReadAllTextAsync(Path.Combine(DeployDirectory, "autowasms.wasm.tcm.io.yaml"), TestContext.Current.CancellationToken);
        var model = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "WasmMesh.Model", "Crds", "autowasms.wasm.tcm.io.yaml"), TestContext.Current.CancellationToken);

        Assert.True(
            model == deployed,
            "samples/Wasmer/deploy/autowasms.wasm.tcm.io.yaml differs from src/WasmMesh.Model/Crds/autowasms.wasm.tcm.io.yaml; copy the model's file over it");
        Assert.Equal(AutoWasmCrd.Yaml.ReplaceLineEndings("\n"), deployed.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Dockerfile_PublishesWithTheCommandCiRuns_AndRunsAsNonRoot()
    {
        var dockerfile = await File.ReadAllLinesAsync(Path.Combine(RepoPaths.Root, "samples", "Wasmer", "Dockerfile"), TestContext.Current.CancellationToken);
        var ci = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, ".ci", "run"), TestContext.Current.CancellationToken);
        var publish = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "Wasmer", "publish.sh"), TestContext.Current.CancellationToken);

        // One publish command: the script both the image build and CI run.
        Assert.Contains("RUN bash samples/Wasmer/publish.sh /app", dockerfile);
        Assert.Contains("bash samples/Wasmer/publish.sh ", ci, StringComparison.Ordinal);
        Assert.Contains("dotnet publish samples/Wasmer/Wasmer.csproj --configuration Release", publish, StringComparison.Ordinal);
        Assert.Single(dockerfile, l => l.Contains("dotnet publish", StringComparison.Ordinal) || l.StartsWith("RUN ", StringComparison.Ordinal));

        // The final stage runs as the deployment's non-root user and writes only to its volume.
        var finalStage = dockerfile.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(finalStage);
        Assert.Contains("USER 65532:65532", finalStage);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/wasmer.dll\"]", finalStage);
        Assert.Contains(finalStage, l => l.Contains("VOLUME [\"/var/cache/wasmer\"]", StringComparison.Ordinal));

        // The documented build command produces the tag the deploy manifests name.
        Assert.Contains(dockerfile, l => l.Contains($"docker build -f samples/Wasmer/Dockerfile -t {ImageTag()} .", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kustomize_Deploy_BuildsEveryResourceInIstioSystem()
    {
        var resources = await BuildAsync();

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            resources.Select(r => r["kind"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var resource in resources)
        {
            var kind = resource["kind"]!.GetValue<string>();
            var ns = resource["metadata"]?["namespace"]?.GetValue<string>();
            if (kind is "ClusterRole" or "ClusterRoleBinding" or "CustomResourceDefinition")
            {
                Assert.Null(ns);
            }
            else
            {
                Assert.Equal("istio-system", ns);
            }
        }

        var crd = resources.Single(r => (string?)r["kind"] == "CustomResourceDefinition");
        Assert.Equal("autowasms.wasm.tcm.io", (string?)crd["metadata"]!["name"]);
    }

    [Fact]
    public async Task Kustomize_Rbac_GrantsLeastPrivilege()
    {
        var resources = await BuildAsync();

        var clusterRole = resources.Single(r => (string?)r["kind"] == "ClusterRole");
        Assert.Equal(
            [
                "/events: create,patch",
                "/secrets: get,list,watch",
                "extensions.istio.io/trafficextensions: create,delete,get,list,patch,update,watch",
                "extensions.istio.io/wasmplugins: create,delete,get,list,patch,update,watch",
                "networking.istio.io/envoyfilters: create,delete,get,list,patch,update,watch",
                "wasm.tcm.io/autowasms/status: patch,update",
                "wasm.tcm.io/autowasms: get,list,watch",
            ],
            Rules(clusterRole));
        var role = resources.Single(r => (string?)r["kind"] == "Role");
        Assert.Equal(["coordination.k8s.io/leases: create,get,update"], Rules(role));

        foreach (var (bindingKind, roleKind) in new[] { ("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role") })
        {
            var binding = resources.Single(r => (string?)r["kind"] == bindingKind);
            Assert.Equal(roleKind, (string?)binding["roleRef"]!["kind"]);
            Assert.Equal((string?)resources.Single(r => (string?)r["kind"] == roleKind)["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
            var subject = Assert.Single(binding["subjects"]!.AsArray())!;
            Assert.Equal("ServiceAccount", (string?)subject["kind"]);
            Assert.Equal("wasmer", (string?)subject["name"]);
            Assert.Equal("istio-system", (string?)subject["namespace"]);
        }
    }

    [Fact]
    public async Task Kustomize_Deployment_RunsTwoHardenedReplicasWithProbesAndCache()
    {
        var resources = await BuildAsync();

        var deployment = resources.Single(r => (string?)r["kind"] == "Deployment");
        Assert.Equal(2, (long?)deployment["spec"]!["replicas"]);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal("wasmer", (string?)pod["serviceAccountName"]);
        Assert.True((bool?)pod["securityContext"]!["runAsNonRoot"]);
        var container = Assert.Single(pod["containers"]!.AsArray())!;
        Assert.Equal(ImageTag(), (string?)container["image"]);
        var args = container["args"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Contains("--Wasmer:Port=8081", args);
        Assert.Contains("--Wasmer:CacheDirectory=/var/cache/wasmer", args);
        var leaseNamespace = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "WASMER__LEASENAMESPACE")!;
        Assert.Equal("metadata.namespace", (string?)leaseNamespace["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        var podName = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "POD_NAME")!;
        Assert.Equal("metadata.name", (string?)podName["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.True((long?)pod["terminationGracePeriodSeconds"] >= 15, "terminationGracePeriodSeconds must leave room for the 5 s drain and the lease release");
        Assert.Equal(8081, (long?)container["ports"]![0]!["containerPort"]);
        foreach (var part in new[] { "requests", "limits" })
        {
            Assert.NotNull(container["resources"]![part]!["cpu"]);
            Assert.NotNull(container["resources"]![part]!["memory"]);
        }

        var security = container["securityContext"]!;
        Assert.True((bool?)security["runAsNonRoot"]);
        Assert.True((bool?)security["readOnlyRootFilesystem"]);
        Assert.False((bool?)security["allowPrivilegeEscalation"]);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));

        var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["mountPath"]!, m => (string)m!["name"]!);
        var volumes = pod["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!);
        Assert.NotNull(volumes[mounts["/var/cache/wasmer"]]["emptyDir"]);
        Assert.NotNull(volumes[mounts["/tmp"]]["emptyDir"]);

        var selector = deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(selector, l => Assert.Equal((string?)l.Value, (string?)labels[l.Key]));
    }

    [Fact]
    public async Task Kustomize_Service_ExposesHttpPort8081ForIstio()
    {
        var resources = await BuildAsync();

        var service = resources.Single(r => (string?)r["kind"] == "Service");
        Assert.Equal("wasmer", (string?)service["metadata"]!["name"]);
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray())!;
        Assert.Equal(8081, (long?)port["port"]);
        Assert.Equal("http-wasm", (string?)port["name"]);
        Assert.Equal("http", (string?)port["appProtocol"]);
        var deployment = resources.Single(r => (string?)r["kind"] == "Deployment");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(service["spec"]!["selector"]!.AsObject(), l => Assert.Equal((string?)l.Value, (string?)podLabels[l.Key]));
    }

    private static async Task<IReadOnlyList<JsonObject>> BuildAsync()
    {
        var kubectl = Kubectl.Require();
        var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", DeployDirectory], timeout: TimeSpan.FromSeconds(60), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize failed: {result}");
        return YamlJsonReader.Read(result.StdOut, "kustomize output").Select(d => d.Root).OfType<JsonObject>().ToList();
    }

    private static List<string> Rules(JsonNode role)
        => role["rules"]!.AsArray()
            .SelectMany(rule => rule!["apiGroups"]!.AsArray().SelectMany(g => rule["resources"]!.AsArray().Select(r =>
                $"{(string?)g}/{(string?)r}: {string.Join(',', rule["verbs"]!.AsArray().Select(v => (string?)v).Order(StringComparer.Ordinal))}")))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The image tag the Dockerfile documents and the manifests name: the registry path and the project version.</summary>
    private static string ImageTag()
    {
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(version), "Directory.Build.props has no <Version>");
        return "ghcr.io/wasmmesh/wasmer:" + version;
    }
}
