using System.Text.RegularExpressions;

namespace WasmMesh.Model.Validation;

/// <summary>Kubernetes naming rules (DNS-1123 names, label keys and values).</summary>
public static partial class KubernetesNames
{
    /// <summary>Checks a DNS-1123 subdomain (object names): at most 253 lowercase alphanumerics, '-' or '.', starting and ending alphanumeric.</summary>
    /// <param name="value">The name.</param>
    /// <returns>Why it is invalid, or null when valid.</returns>
    public static string? CheckSubdomain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > 253)
        {
            return $"'{Short(value)}' is {value.Length} characters, more than 253";
        }

        return SubdomainPattern().IsMatch(value)
            ? null
            : $"'{Short(value)}' is not a valid name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
    }

    /// <summary>Checks a DNS-1123 label (namespaces): at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.</summary>
    /// <param name="value">The label.</param>
    /// <returns>Why it is invalid, or null when valid.</returns>
    public static string? CheckLabel(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "must not be empty";
        }

        if (value.Length > 63)
        {
            return $"'{Short(value)}' is {value.Length} characters, more than 63";
        }

        return LabelPattern().IsMatch(value)
            ? null
            : $"'{Short(value)}' is not a valid DNS label: use lowercase letters, digits and '-', starting and ending with a letter or digit";
    }

    /// <summary>Checks a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Why it is invalid, or null when valid.</returns>
    public static string? CheckLabelKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0 || CheckSubdomain(prefix) is not null)
            {
                return $"label key '{Short(key)}' has an invalid prefix '{Short(prefix)}': it must be a DNS subdomain such as example.com";
            }
        }

        if (name.Length == 0 || name.Length > 63 || !LabelValuePattern().IsMatch(name))
        {
            return $"label key '{Short(key)}' is invalid: the name part must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
        }

        return null;
    }

    /// <summary>Checks a label value: empty, or at most 63 letters, digits, '-', '_', '.' starting and ending alphanumeric.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Why it is invalid, or null when valid.</returns>
    public static string? CheckLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return null;
        }

        return value.Length <= 63 && LabelValuePattern().IsMatch(value)
            ? null
            : $"label value '{Short(value)}' is invalid: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    }

    private static string Short(string value) => value.Length <= 80 ? value : value[..80] + "…";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValuePattern();
}
