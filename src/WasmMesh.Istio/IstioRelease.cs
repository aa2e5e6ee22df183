using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WasmMesh.Istio;

/// <summary>An Istio minor release, e.g. <c>1.25</c>: what the field tables and the builders target.</summary>
/// <param name="Major">The major version (1).</param>
/// <param name="Minor">The minor version.</param>
public readonly record struct IstioRelease(int Major, int Minor) : IComparable<IstioRelease>
{
    /// <summary>The release generated resources target unless configured otherwise: 1.25, the first whose proxies know <c>failure_policy</c>.</summary>
    public static IstioRelease Default { get; } = new(1, 25);

    /// <summary>The newest release the field tables describe (Istio's development branch).</summary>
    public static IstioRelease Latest { get; } = new(1, 30);

    /// <summary>The oldest release the builders support (EnvoyFilter with the TypedStruct that every later release accepts).</summary>
    public static IstioRelease Oldest { get; } = new(1, 10);

    /// <summary>Parses <c>1.25</c> (a patch part such as <c>1.25.2</c> is accepted and ignored).</summary>
    /// <param name="text">The text.</param>
    /// <param name="release">The release.</param>
    /// <returns>Whether the text is a release.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out IstioRelease release)
    {
        release = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().TrimStart('v').Split('.');
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            || major < 1 || minor > 999)
        {
            return false;
        }

        release = new IstioRelease(major, minor);
        return true;
    }

    /// <summary>Parses <c>1.25</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The release.</returns>
    /// <exception cref="FormatException">The text is not a release.</exception>
    public static IstioRelease Parse(string text)
        => TryParse(text, out var release) ? release : throw new FormatException($"'{text}' is not an Istio release; write it as 1.25");

    /// <inheritdoc />
    public int CompareTo(IstioRelease other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>Whether <paramref name="a"/> is older than <paramref name="b"/>.</summary>
    public static bool operator <(IstioRelease a, IstioRelease b) => a.CompareTo(b) < 0;

    /// <summary>Whether <paramref name="a"/> is newer than <paramref name="b"/>.</summary>
    public static bool operator >(IstioRelease a, IstioRelease b) => a.CompareTo(b) > 0;

    /// <summary>Whether <paramref name="a"/> is older than or the same as <paramref name="b"/>.</summary>
    public static bool operator <=(IstioRelease a, IstioRelease b) => a.CompareTo(b) <= 0;

    /// <summary>Whether <paramref name="a"/> is newer than or the same as <paramref name="b"/>.</summary>
    public static bool operator >=(IstioRelease a, IstioRelease b) => a.CompareTo(b) >= 0;

    /// <inheritdoc />
    public override string ToString() => $"{Major.ToString(CultureInfo.InvariantCulture)}.{Minor.ToString(CultureInfo.InvariantCulture)}";
}
