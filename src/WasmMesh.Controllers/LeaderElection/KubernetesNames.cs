namespace WasmMesh.Controllers;

/// <summary>Kubernetes object name rules (RFC 1123 labels and subdomains).</summary>
internal static class KubernetesNames
{
    public static bool IsLabel(string? value)
        => !string.IsNullOrEmpty(value) && value.Length <= 63 && IsLabelCore(value);

    public static bool IsSubdomain(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253)
        {
            return false;
        }

        foreach (var part in value.Split('.'))
        {
            if (part.Length == 0 || !IsLabelCore(part))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLabelCore(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var alphanumeric = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (!alphanumeric && (c != '-' || i == 0 || i == value.Length - 1))
            {
                return false;
            }
        }

        return true;
    }
}
