namespace WasmMesh.Kubernetes;

/// <summary>A kubeconfig <c>user.exec</c> credential plugin: a command that prints an <c>ExecCredential</c> with a token.</summary>
public sealed record ExecCredentialSettings
{
    /// <summary>The command to run (resolved on PATH when not absolute).</summary>
    public required string Command { get; init; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables for the command.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The ExecCredential API version the plugin speaks, e.g. <c>client.authentication.k8s.io/v1</c>.</summary>
    public string ApiVersion { get; init; } = "client.authentication.k8s.io/v1";
}
