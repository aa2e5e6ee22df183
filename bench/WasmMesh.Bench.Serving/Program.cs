// Serves a cached module from the /wasm/{sha256} endpoint for the serving benchmark (bench/serving/run.sh).
//
//   WasmMesh.Bench.Serving --cache <dir> --port <port> [--module-size <bytes>] [--export <dir>] [--memory-cache <bytes>]
//                          [--inline true|false] [--response-buffer <bytes>]
//
// Writes a valid module of the given size into the cache (and a copy named by its sha256 into --export, for
// nginx), prints "sha256 <hex>" and "ready", then serves on 127.0.0.1:<port> until stopped.
using System.Globalization;
using System.Net;
using System.Text;
using WasmMesh;
using WasmMesh.Sources;

var options = ParseArguments(args);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
// The endpoint never blocks, so socket continuations may run inline instead of hopping to the thread pool.
if (options.GetValueOrDefault("inline", "true") == "true")
{
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    if (options.TryGetValue("response-buffer", out var responseBuffer))
    {
        kestrel.Limits.MaxResponseBufferSize = long.Parse(responseBuffer, CultureInfo.InvariantCulture);
    }

    kestrel.Listen(IPAddress.Loopback, int.Parse(options["port"], CultureInfo.InvariantCulture));
});
builder.Services.AddWasmMeshServing(serving =>
    {
        if (options.TryGetValue("memory-cache", out var memory))
        {
            serving.MemoryCacheBytes = long.Parse(memory, CultureInfo.InvariantCulture);
        }
    })
    .ConfigureCache(cache => cache.Directory = options["cache"]);

var app = builder.Build();
app.MapWasmModules();

var size = long.Parse(options.GetValueOrDefault("module-size", "1048576"), CultureInfo.InvariantCulture);
var module = BuildModule(size);
var cache = app.Services.GetRequiredService<IWasmModuleCache>();
var stored = await cache.StoreAsync(new MemoryStream(module), "benchmark module");
if (options.TryGetValue("export", out var export))
{
    Directory.CreateDirectory(export);
    await File.WriteAllBytesAsync(Path.Combine(export, stored.Sha256.Hex), module);
}

await app.StartAsync();
Console.WriteLine($"sha256 {stored.Sha256.Hex}");
Console.WriteLine("ready");
await app.WaitForShutdownAsync();

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    foreach (var required in new[] { "cache", "port" })
    {
        if (!result.ContainsKey(required))
        {
            throw new ArgumentException($"--{required} is required");
        }
    }

    return result;
}

// A minimal valid proxy-wasm-shaped module: header, type, function, export (proxy_abi_version_0_2_0), code,
// and a custom section padding it to the requested size.
static byte[] BuildModule(long size)
{
    using var stream = new MemoryStream();
    stream.Write([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    Section(stream, 1, [0x01, 0x60, 0x00, 0x00]);
    Section(stream, 3, [0x01, 0x00]);
    var name = Encoding.UTF8.GetBytes("proxy_abi_version_0_2_0");
    Section(stream, 7, [0x01, (byte)name.Length, .. name, 0x00, 0x00]);
    Section(stream, 10, [0x01, 0x02, 0x00, 0x0b]);
    var label = Encoding.UTF8.GetBytes("bench.padding");
    var payload = Math.Max(0, size - stream.Length - 1 - 5 - 1 - label.Length);
    stream.WriteByte(0x00);
    var sectionSize = (uint)(1 + label.Length + payload);
    for (var i = 0; i < 5; i++)
    {
        stream.WriteByte((byte)((sectionSize & 0x7fu) | (i < 4 ? 0x80u : 0u)));
        sectionSize >>= 7;
    }

    stream.WriteByte((byte)label.Length);
    stream.Write(label);
    var padding = new byte[payload];
    new Random(1).NextBytes(padding);
    stream.Write(padding);
    return stream.ToArray();
}

static void Section(Stream stream, byte id, byte[] content)
{
    stream.WriteByte(id);
    stream.WriteByte((byte)content.Length);
    stream.Write(content);
}
