using System.Globalization;

namespace WasmMesh.Operator;

/// <summary>
/// Names Kubernetes Events <c>&lt;object&gt;.&lt;hex nanoseconds&gt;</c> as client-go's recorder does, but strictly
/// increasing within the process: two Events in the same clock tick (or after the clock stepped back) get different
/// names instead of a 409 that loses the second one.
/// </summary>
internal sealed class EventNameGenerator(TimeProvider time)
{
    // A name is a DNS subdomain: at most 253 characters; the suffix is at most 17 ("." + 16 hex digits).
    private const int MaxNameLength = 253;
    private const int MaxSuffixLength = 17;
    private long _last;

    /// <summary>The next Event name for an object.</summary>
    /// <param name="objectName">The involved object's name.</param>
    /// <returns>A name no earlier call of this generator returned.</returns>
    public string Next(string objectName)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        var nanos = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        long next;
        long last;
        do
        {
            last = Interlocked.Read(ref _last);
            next = Math.Max(nanos, last + 1);
        }
        while (Interlocked.CompareExchange(ref _last, next, last) != last);

        var prefix = objectName.Length <= MaxNameLength - MaxSuffixLength ? objectName : objectName[..(MaxNameLength - MaxSuffixLength)].TrimEnd('.', '-');
        return prefix + "." + next.ToString("x", CultureInfo.InvariantCulture);
    }
}
