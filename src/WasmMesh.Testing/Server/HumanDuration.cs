using System.Globalization;

namespace WasmMesh.Testing.Server;

/// <summary>Formats ages the way kubectl shows them (<c>5s</c>, <c>3m20s</c>, <c>4h</c>, <c>2d3h</c>).</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var c = CultureInfo.InvariantCulture;
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        if (d < TimeSpan.Zero)
        {
            return "0s";
        }

        var seconds = (long)d.TotalSeconds;
        if (seconds < 60 * 2)
        {
            return string.Create(c, $"{seconds}s");
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? string.Create(c, $"{minutes}m") : string.Create(c, $"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return string.Create(c, $"{minutes}m");
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? string.Create(c, $"{hours}h") : string.Create(c, $"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return string.Create(c, $"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? string.Create(c, $"{hours / 24}d") : string.Create(c, $"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return string.Create(c, $"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var days = (hours / 24) % 365;
            return days == 0 ? string.Create(c, $"{hours / 24 / 365}y") : string.Create(c, $"{hours / 24 / 365}y{days}d");
        }

        return string.Create(c, $"{hours / 24 / 365}y");
    }
}
