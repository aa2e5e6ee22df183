# Section 6 — builder: EnvoyFilter build + render throughput from BenchmarkDotNet (bench/WasmMesh.Benchmarks,
# RenderBenchmarks). Full mode uses BenchmarkDotNet's ShortRun job (1 launch, 3 warm-up, 3 measured iterations) to
# keep the whole run short; --quick uses the project's own --quick (Job.Dry: one invocation, no timing claims).

section_builder() {
  local dir="$WORK/builder"
  mkdir -p "$dir"
  local job=(--job short)
  [ "$QUICK" = 1 ] && job=(--quick)
  log "builder: BenchmarkDotNet ${job[*]}"
  (cd "$SRC" && dotnet run -c Release --project bench/WasmMesh.Benchmarks -- --filter '*RenderBenchmarks*' "${job[@]}" \
      --exporters json --artifacts "$dir/artifacts") >"$dir/bdn.log" 2>&1 \
    || die "builder: BenchmarkDotNet failed (see $dir/bdn.log): $(tail -5 "$dir/bdn.log")"
  python3 - "$dir/artifacts/results" "$RESULTS" <<'PY' || die "builder: no BenchmarkDotNet results in $dir/artifacts/results"
import glob, json, os, sys
results, out = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(results, "*.json")))
rows = 0
with open(out, "a") as f:
    for path in files:
        data = json.load(open(path))
        for b in data.get("Benchmarks", []):
            title = (b.get("MethodTitle") or b.get("Method") or "?").strip("'")
            stats = b.get("Statistics") or {}
            median = stats.get("Median")
            if not median:
                continue
            alloc = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")
            f.write(f"builder\t{title}\tRenderBenchmarks\tns_per_op\t1\t{median:.1f}\n")
            f.write(f"builder\t{title}\tRenderBenchmarks\tops_per_s\t1\t{1e9 / median:.0f}\n")
            if alloc is not None:
                f.write(f"builder\t{title}\tRenderBenchmarks\talloc_bytes\t1\t{alloc}\n")
            rows += 1
sys.exit(0 if rows else 1)
PY
  note builder "BenchmarkDotNet ${job[*]} on RenderBenchmarks (one process, Release): median time per operation; ops/s = 1e9 / median ns. No peer: absolute figures."
}
