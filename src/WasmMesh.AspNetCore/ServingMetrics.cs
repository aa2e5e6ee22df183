using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WasmMesh.AspNetCore;

/// <summary>The instruments of the <c>WasmMesh.Serving</c> meter.</summary>
internal sealed class ServingMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "WasmMesh.Serving";

    private static readonly object Status200 = 200;
    private static readonly object Status206 = 206;
    private static readonly object Status304 = 304;
    private static readonly object Status404 = 404;

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytes;

    public ServingMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("wasmmesh.serving.requests", "{request}", "Module requests answered, by HTTP status code.");
        _bytes = _meter.CreateCounter<long>("wasmmesh.serving.bytes", "By", "Module bytes sent in response bodies.");
    }

    public void Served(int statusCode, long bodyBytes)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", Box(statusCode)));
        }

        if (bodyBytes > 0)
        {
            _bytes.Add(bodyBytes);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static object Box(int statusCode) => statusCode switch
    {
        200 => Status200,
        206 => Status206,
        304 => Status304,
        404 => Status404,
        _ => statusCode,
    };
}
