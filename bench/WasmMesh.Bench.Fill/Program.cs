// Cache fill from a registry, CPU time per fill: the module sources as a host wires them, each fill into an empty cache.
//   push  REGISTRY/REPO:TAG MODULE.wasm image|artifact   pushes the module; prints the manifest digest
//   fill  REGISTRY/REPO@DIGEST COUNT SCRATCH    fills COUNT fresh caches; prints "cpu_ms wall_ms" per fill
// Written against the public API only, so the same source builds against older commits for before/after runs.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WasmMesh;
using WasmMesh.Oci;
using WasmMesh.Sources;

if (args.Length >= 4 && args[0] == "push")
{
    var services = new ServiceCollection().AddLogging();
    services.AddWasmMeshOci(o => o.InsecureRegistries.Add(ImageReference.Parse(args[1]).Registry));
    await using var provider = services.BuildServiceProvider();
    var pushed = await provider.GetRequiredService<IWasmRegistryClient>().PushAsync(ImageReference.Parse(args[1]), args[2], new WasmPushOptions { Format = args[3] == "artifact" ? WasmPushFormat.Artifact : WasmPushFormat.Image });
    Console.WriteLine(pushed.ManifestDigest);
    return 0;
}

if (args.Length >= 4 && args[0] == "fill")
{
    var image = ImageReference.Parse(args[1]);
    var count = int.Parse(args[2], CultureInfo.InvariantCulture);
    var process = Process.GetCurrentProcess();
    for (var i = -1; i < count; i++)
    {
        var directory = Path.Combine(args[3], $"cache-{Environment.ProcessId}-{i + 1}");
        var services = new ServiceCollection().AddLogging();
        services.AddWasmMeshSources(o => o.Directory = directory).ConfigureSsrfGuard(o => o.BlockLoopback = false);
        services.Configure<OciClientOptions>(o => o.InsecureRegistries.Add(image.Registry));
        await using (var provider = services.BuildServiceProvider())
        {
            var modules = provider.GetRequiredService<IWasmModuleProvider>();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var result = await modules.EnsureAsync(WasmSourceRequest.ForRegistry(image));
            wall.Stop();
            process.Refresh();
            if (!result.Downloaded)
            {
                throw new InvalidOperationException("the fill was answered from a cache; every fill must start empty");
            }

            if (i >= 0)
            {
                // The first fill (i = -1) warms JIT and connection set-up and is not reported.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(process.TotalProcessorTime - cpu).TotalMilliseconds:0.0} {wall.Elapsed.TotalMilliseconds:0.0} {result.Sha256.Hex}"));
            }
        }

        Directory.Delete(directory, recursive: true);
    }

    return 0;
}

Console.Error.WriteLine("usage: push REF MODULE.wasm image|artifact | fill REF@DIGEST COUNT SCRATCH");
return 2;
