using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace WasmMesh.AspNetCore.Metrics;

/// <summary>
/// Collects the measurements of every <c>WasmMesh.*</c> meter (and any other meter prefix configured) and renders
/// them in the Prometheus text exposition format: counters as <c>_total</c>, up-down counters and gauges as gauges,
/// histograms with cumulative buckets, <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class PrometheusMetricsCollector : IDisposable
{
    private static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly string[] _prefixes;

    /// <summary>Starts listening to meters whose names start with one of the prefixes.</summary>
    /// <param name="meterPrefixes">Meter name prefixes; default <c>WasmMesh.</c>.</param>
    public PrometheusMetricsCollector(params string[] meterPrefixes)
    {
        _prefixes = meterPrefixes is { Length: > 0 } ? meterPrefixes : ["WasmMesh."];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_prefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                _series.TryAdd(instrument, new Series(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _series.TryRemove(instrument, out var removed);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Renders every collected series in the Prometheus text format.</summary>
    /// <returns>The exposition text.</returns>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var builder = new StringBuilder();
        foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            series.Write(builder);
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private sealed class Series(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
        private readonly bool _histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
        private readonly bool _counter = instrument.GetType().Name is "Counter`1" or "ObservableCounter`1";
        private readonly bool _observable = instrument.IsObservable;

        // Instrument names are already namespaced (wasmmesh.…); others get their meter's name in front.
        public string Name { get; } = Sanitize(instrument.Name.StartsWith("wasmmesh.", StringComparison.OrdinalIgnoreCase)
            ? instrument.Name
            : instrument.Meter.Name + "." + instrument.Name);

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = FormatLabels(tags);
            var cell = _cells.GetOrAdd(labels, static _ => new Cell(Buckets.Length));
            lock (cell)
            {
                if (_histogram)
                {
                    cell.Count++;
                    cell.Sum += value;
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            cell.BucketCounts[i]++;
                        }
                    }
                }
                else if (_observable)
                {
                    cell.Sum = value;
                }
                else
                {
                    cell.Sum += value;
                }
            }
        }

        public void Write(StringBuilder builder)
        {
            var name = _counter && !Name.EndsWith("_total", StringComparison.Ordinal) ? Name + "_total" : Name;
            var type = _histogram ? "histogram" : _counter ? "counter" : "gauge";
            if (!string.IsNullOrEmpty(instrument.Description))
            {
                builder.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description.Replace('\n', ' ')).Append('\n');
            }

            builder.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, cell) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                lock (cell)
                {
                    if (_histogram)
                    {
                        for (var i = 0; i < Buckets.Length; i++)
                        {
                            builder.Append(Name).Append("_bucket{").Append(Join(labels, $"le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"")).Append("} ").Append(cell.BucketCounts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                        }

                        builder.Append(Name).Append("_bucket{").Append(Join(labels, "le=\"+Inf\"")).Append("} ").Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                        builder.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(cell.Sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                        builder.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                    else
                    {
                        builder.Append(name).Append(Braces(labels)).Append(' ').Append(cell.Sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return string.Empty;
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                pairs.Add($"{Sanitize(key)}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }
    }

    private sealed class Cell(int buckets)
    {
        public long Count;
        public double Sum;
        public long[] BucketCounts { get; } = new long[buckets];
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_'))
            {
                chars[i] = '_';
            }
        }

        var result = new string(chars).ToLowerInvariant();
        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}
