using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace WasmMesh.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point. <c>--quick</c> runs every benchmark briefly as a smoke test (no timing claims);
/// other arguments are passed to BenchmarkDotNet (e.g. <c>--filter *Render*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        IConfig config = DefaultConfig.Instance;
        if (quick)
        {
            config = config.AddJob(Job.Dry.WithId("quick")).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        }

        if (args.Length == 0)
        {
            args = ["--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
