#!/usr/bin/env python3
"""Renders the benchmark results (bench/run.sh) as a console table and as docs/benchmarks.md.

usage: report.py RESULTS_TSV MACHINE_JSON OUT_MD [ANALYSIS_MD] [--quick] [--sections a,b,...]

RESULTS_TSV rows: section, case, subject, metric, round, value ("note" rows carry text in the last column).
Medians are taken over rounds; ratios are WasmMesh / peer from the same run."""
import json
import math
import statistics
import sys
from collections import defaultdict

args = [a for a in sys.argv[1:] if not a.startswith("--")]
quick = "--quick" in sys.argv
sections_arg = next((sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--sections"), None)
results_path, machine_path, out_path = args[0], args[1], args[2]
analysis_path = args[3] if len(args) > 3 else None
machine = json.load(open(machine_path))

values = defaultdict(list)
notes = defaultdict(list)
for line in open(results_path):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 6:
        continue
    section, case, subject, metric, rnd, value = parts
    if case == "note":
        notes[section].append(value)
        continue
    try:
        values[(section, case, subject, metric)].append(float(value))
    except ValueError:
        pass


def med(section, case, subject, metric):
    v = values.get((section, case, subject, metric))
    return statistics.median(v) if v else math.nan


def rounds(section, case, subject, metric):
    return values.get((section, case, subject, metric), [])


def fmt(x, digits=1):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 1000 and digits <= 1:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def verdict(value, goal_ok):
    if math.isnan(value):
        return "not measured"
    if quick:
        return "ran (quick)"
    return "met" if goal_ok(value) else "**missed**"


summary = []   # (figure, wasmmesh, peer, ratio, goal, verdict)
sections = []  # (title, markdown body)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def note_lines(section):
    lines = notes.get(section, [])
    return ("\n\n" + "\n".join(f"- {n}" for n in lines)) if lines else ""


present = {k[0] for k in values}

# 1 serving
if "serving" in present:
    rows = []
    for size in ["16KiB", "1MiB", "10MiB"]:
        w = {m: med("serving", size, "wasmer", m) for m in ["rps", "mibps", "p99_ms", "errors"]}
        n = {m: med("serving", size, "nginx", m) for m in ["rps", "mibps", "p99_ms", "errors"]}
        r = ratio(w["rps"], n["rps"])
        rows.append([size, fmt(w["rps"]), fmt(n["rps"]), f"{r:.2f}×" if not math.isnan(r) else "—",
                     fmt(w["mibps"]), fmt(n["mibps"]), fmt(w["p99_ms"], 2), fmt(n["p99_ms"], 2),
                     f"{ratio(w['p99_ms'], n['p99_ms']):.2f}×",
                     f"{sum(rounds('serving', size, 'wasmer', 'errors')):.0f} / {sum(rounds('serving', size, 'nginx', 'errors')):.0f}"])
        summary.append((f"Serving {size}: requests/s", fmt(w["rps"]), fmt(n["rps"]) + " (nginx)",
                        f"{r:.2f}×", "≥ 0.8× (stretch ≥ 1.0×)", verdict(r, lambda x: x >= 0.8)))
    per_round = []
    for size in ["16KiB", "1MiB", "10MiB"]:
        per_round.append([size, " / ".join(fmt(x) for x in rounds("serving", size, "wasmer", "rps")),
                          " / ".join(fmt(x) for x in rounds("serving", size, "nginx", "rps"))])
    body = table(["module", "wasmer req/s", "nginx req/s", "ratio", "wasmer MiB/s", "nginx MiB/s",
                  "wasmer p99 ms", "nginx p99 ms", "p99 ratio", "wrk errors, all rounds (wasmer / nginx)"], rows)
    body += "\n\nRequests/s per round:\n\n" + table(["module", "wasmer", "nginx"], per_round)
    rss = med("serving", "all", "wasmer", "rss_mib")
    body += f"\n\nwasmer RSS after the serving runs: {fmt(rss, 0)} MiB." + note_lines("serving")
    sections.append(("1. Serving: wasmer /wasm/&lt;sha256&gt; vs nginx (sendfile)", body))

# 2 registry
if "registry" in present:
    rows = []
    for op in ["push", "pull"]:
        for size in ["16KiB", "20MiB"]:
            case = f"{op} {size}"
            ww, sw = med("registry", case, "wasmc", "wall_s"), med("registry", case, "skopeo", "wall_s")
            wr, sr = med("registry", case, "wasmc", "rss_mib"), med("registry", case, "skopeo", "rss_mib")
            rw, rr = ratio(ww, sw), ratio(wr, sr)
            rows.append([case, fmt(ww * 1000, 0), fmt(sw * 1000, 0), f"{rw:.2f}×", fmt(wr), fmt(sr), f"{rr:.2f}×"])
            summary.append((f"Registry {case}: wall time", f"{fmt(ww * 1000, 0)} ms", f"{fmt(sw * 1000, 0)} ms (skopeo)",
                            f"{rw:.2f}×", "≤ 1.0×", verdict(rw, lambda x: x <= 1.0)))
            summary.append((f"Registry {case}: peak RSS", f"{fmt(wr)} MiB", f"{fmt(sr)} MiB (skopeo)",
                            f"{rr:.2f}×", "≤ 1.2×", verdict(rr, lambda x: x <= 1.2)))
    for op in ["push", "pull"]:
        for size in ["16KiB", "20MiB"]:
            case = f"{op} {size}"
            jw, jr = med("registry", case, "wasmc-jit", "wall_s"), med("registry", case, "wasmc-jit", "rss_mib")
            sw, sr = med("registry", case, "skopeo", "wall_s"), med("registry", case, "skopeo", "rss_mib")
            if not math.isnan(jw):
                rows.append([f"{case} (comparison: wasmc JIT build, framework-dependent)", fmt(jw * 1000, 0), fmt(sw * 1000, 0),
                             f"{ratio(jw, sw):.2f}×", fmt(jr), fmt(sr), f"{ratio(jr, sr):.2f}×"])
    for size in ["16KiB", "20MiB"]:
        case = f"push {size}"
        aw, ar = med("registry", case, "wasmc-artifact", "wall_s"), med("registry", case, "wasmc-artifact", "rss_mib")
        sw, sr = med("registry", case, "skopeo", "wall_s"), med("registry", case, "skopeo", "rss_mib")
        if not math.isnan(aw):
            rows.append([f"{case} (diagnostic: wasmc --format artifact, no tar/gzip)", fmt(aw * 1000, 0), fmt(sw * 1000, 0),
                         f"{ratio(aw, sw):.2f}×", fmt(ar), fmt(sr), f"{ratio(ar, sr):.2f}×"])
    for op in ["push", "pull"]:
        dw = med("registry", f"{op} 20MiB", "wasmc", "wall_s") - med("registry", f"{op} 16KiB", "wasmc", "wall_s")
        ds = med("registry", f"{op} 20MiB", "skopeo", "wall_s") - med("registry", f"{op} 16KiB", "skopeo", "wall_s")
        rows.append([f"{op}: marginal cost of 20 MiB (20 MiB minus 16 KiB run, derived)", fmt(dw * 1000, 0), fmt(ds * 1000, 0),
                     f"{ratio(dw, ds):.2f}×", "", "", ""])
    body = table(["operation", "wasmc ms", "skopeo ms", "time ratio", "wasmc peak RSS MiB", "skopeo peak RSS MiB", "RSS ratio"], rows)
    per_round = []
    for op in ["push", "pull"]:
        for size in ["16KiB", "20MiB"]:
            case = f"{op} {size}"
            per_round.append([case, " / ".join(fmt(x * 1000, 0) for x in rounds("registry", case, "wasmc", "wall_s")),
                              " / ".join(fmt(x * 1000, 0) for x in rounds("registry", case, "skopeo", "wall_s")),
                              " / ".join(fmt(x * 1000, 0) for x in rounds("registry", case, "wasmc-jit", "wall_s")) or "—"])
    body += "\n\nWall time per round (ms):\n\n" + table(["operation", "wasmc (Native AOT)", "skopeo", "wasmc-jit"], per_round)
    body += note_lines("registry")
    sections.append(("2. Registry transfer: wasmc vs skopeo copy", body))

# 3 cli
if "cli" in present:
    subjects = sorted({k[2] for k in values if k[0] == "cli"}, key=lambda s: (s != "skopeo", s != "wasmc", s != "wasmc-jit", s))
    base = med("cli", "version", "skopeo", "wall_ms")
    labels = {
        "skopeo": "skopeo --version (Go, static)",
        "wasmc": "wasmc --version (as shipped: Native AOT single binary)",
        "wasmc-jit": "wasmc, framework-dependent JIT build (comparison)",
        "wasmc-r2r": "wasmc, ReadyToRun publish",
        "wasmc-r2r-nopgo": "wasmc, ReadyToRun + DOTNET_TieredPGO=0",
        "wasmc-sf-r2r": "wasmc, single-file self-contained + ReadyToRun",
        "dotnet-floor": "empty .NET console app (runtime start-up floor)",
    }
    rows = []
    for s in subjects:
        w = med("cli", "version", s, "wall_ms")
        r = ratio(w, base)
        rows.append([labels.get(s, s), fmt(w, 1), f"{r:.2f}×", fmt(med("cli", "version", s, "rss_mib"))])
        if s == "wasmc":
            summary.append((f"CLI start-up: {labels.get(s, s)}", f"{fmt(w, 1)} ms", f"{fmt(base, 1)} ms (skopeo)",
                            f"{r:.2f}×", "≤ 1.0× (say by how much otherwise)", verdict(r, lambda x: x <= 1.0)))
            rss, base_rss = med("cli", "version", s, "rss_mib"), med("cli", "version", "skopeo", "rss_mib")
            summary.append(("CLI start-up: wasmc --version peak RSS", f"{fmt(rss)} MiB", f"{fmt(base_rss)} MiB (skopeo)",
                            f"{ratio(rss, base_rss):.2f}×", "≤ 1.2×", verdict(ratio(rss, base_rss), lambda x: x <= 1.2)))
    body = table(["command", "median wall ms", "vs skopeo", "peak RSS MiB"], rows) + note_lines("cli")
    sections.append(("3. CLI start-up: wasmc --version vs skopeo --version", body))

# 4 controller
if "controller" in present:
    cases = sorted({int(k[1]) for k in values if k[0] == "controller" and k[1].isdigit()})
    rows = []
    for c in cases:
        rows.append([f"{c:,}", fmt(med("controller", str(c), "apiserver", "create_s"), 2),
                     fmt(med("controller", str(c), "wasmer", "cold_sync_s"), 2),
                     " / ".join(fmt(x, 2) for x in rounds("controller", str(c), "wasmer", "cold_sync_s"))])
    body = table(["AutoWasms", "create through the API s", "cold start → all Synced s (median)", "per round s"], rows)
    large = str(cases[-1]) if cases else None
    if large:
        first = med("controller", large, "wasmer", "first_1000_s")
        m = lambda metric: med("controller", large, "wasmer", metric)
        detail = [
            ["first 1,000 of the large population Synced", f"{fmt(first, 2)} s", "—"],
            [f"wasmer RSS with {int(large):,} Synced", f"{fmt(m('rss_mib'), 0)} MiB (peak {fmt(m('peak_rss_mib'), 0)} MiB)", "—"],
            ["writes during a quiet period (AutoWasm + EnvoyFilter + Event)", fmt(m("quiet_writes"), 0), "0"],
            ["lease renewals in that period (expected)", fmt(m("quiet_lease_writes"), 0), "—"],
            [f"writes during a restart resync of {int(large):,}", fmt(m("resync_writes"), 0), "0"],
            ["restart resync: counter start → queue drained", f"{fmt(m('resync_s'), 2)} s", "—"],
            ["apply → EnvoyFilter p50 (cached module)", f"{fmt(m('apply_p50_ms'), 1)} ms", "—"],
            ["apply → EnvoyFilter p99", f"{fmt(m('apply_p99_ms'), 1)} ms (max {fmt(m('apply_max_ms'), 1)} ms)", "—"],
        ]
        body += "\n\n" + table(["figure", "value", "goal"], detail)
        fetches = med("controller", "fetches", "nginx", "object_requests")
        body += f"\n\nUpstream requests for the shared module (nginx access log) over the whole section, all rounds: {fmt(fetches, 0)}."
        for c in cases:
            summary.append((f"Controller: cold start → {c:,} Synced", f"{fmt(med('controller', str(c), 'wasmer', 'cold_sync_s'), 1)} s", "—", "—", "(no peer; reported)", "reported"))
        summary.append((f"Controller: wasmer RSS at {int(large):,}", f"{fmt(m('rss_mib'), 0)} MiB", "—", "—", "(reported)", "reported"))
        summary.append(("Controller: writes during quiet period", fmt(m("quiet_writes"), 0), "—", "—", "= 0", verdict(m("quiet_writes"), lambda x: x == 0)))
        summary.append(("Controller: writes during restart resync", fmt(m("resync_writes"), 0), "—", "—", "= 0", verdict(m("resync_writes"), lambda x: x == 0)))
        summary.append(("Controller: apply → EnvoyFilter p50 / p99", f"{fmt(m('apply_p50_ms'), 1)} / {fmt(m('apply_p99_ms'), 1)} ms", "—", "—", "(reported)", "reported"))
    body += note_lines("controller")
    sections.append(("4. Controller scale (API test server)", body))

# 5 cachefill
if "cachefill" in present:
    case = next(k[1] for k in values if k[0] == "cachefill")
    single, burst = med("cachefill", case, "single", "wall_s"), med("cachefill", case, "burst", "wall_s")
    single_c, burst_c = med("cachefill", case, "single", "cached_wall_s"), med("cachefill", case, "burst", "cached_wall_s")
    fetches = max(rounds("cachefill", case, "burst", "fetches") or [math.nan])
    single_fetches = max(rounds("cachefill", case, "single", "fetches") or [math.nan])
    r = ratio(burst, single)
    fill_single, fill_burst = single - single_c, burst - burst_c
    rows = [[f"{case} concurrent requests", fmt(burst * 1000, 1), fmt(burst_c * 1000, 1), fmt(fill_burst * 1000, 1), fmt(fetches, 0)],
            ["1 request", fmt(single * 1000, 1), fmt(single_c * 1000, 1), fmt(fill_single * 1000, 1), fmt(single_fetches, 0)]]
    body = table(["load", "uncached digest ms", "same load, cached ms", "fill cost ms (difference)", "upstream fetches (max over rounds)"], rows)
    body += f"\n\n{case} uncached requests took {r:.2f}× one uncached request; the fill cost inside the burst is {ratio(fill_burst, fill_single):.2f}× the fill cost of one request. " \
        + "Per round, uncached (ms): burst " + " / ".join(fmt(x * 1000, 0) for x in rounds("cachefill", case, "burst", "wall_s")) \
        + "; single " + " / ".join(fmt(x * 1000, 0) for x in rounds("cachefill", case, "single", "wall_s")) + "." + note_lines("cachefill")
    summary.append((f"Cache fill: upstream fetches for {case} concurrent requests", fmt(fetches, 0), "—", "—", "= 1", verdict(fetches, lambda x: x == 1)))
    summary.append((f"Cache fill: {case} uncached requests vs 1 uncached request", f"{fmt(burst * 1000, 0)} ms", f"{fmt(single * 1000, 0)} ms (1 request)", f"{r:.2f}×", "(reported)", "reported"))
    summary.append((f"Cache fill: fill cost inside the burst vs for 1 request", f"{fmt(fill_burst * 1000, 1)} ms", f"{fmt(fill_single * 1000, 1)} ms", f"{ratio(fill_burst, fill_single):.2f}×", "(reported)", "reported"))
    sections.append(("5. Cache fill: concurrent requests for an uncached digest", body))

# 6 builder
if "builder" in present:
    titles = sorted({k[1] for k in values if k[0] == "builder"})
    rows = []
    for t in titles:
        rows.append([t, fmt(med("builder", t, "RenderBenchmarks", "ns_per_op"), 0), fmt(med("builder", t, "RenderBenchmarks", "ops_per_s"), 0),
                     fmt(med("builder", t, "RenderBenchmarks", "alloc_bytes"), 0)])
    body = table(["benchmark", "median ns/op", "ops/s", "allocated B/op"], rows) + note_lines("builder")
    yaml = med("builder", "build + render YAML", "RenderBenchmarks", "ops_per_s")
    summary.append(("Builder: EnvoyFilter build + render YAML per second", fmt(yaml, 0), "—", "—", "(reported)", "reported"))
    sections.append(("6. Builder: EnvoyFilter renders per second (BenchmarkDotNet)", body))

# ---- output
wanted = sections_arg.split(",") if sections_arg else ["serving", "registry", "cli", "controller", "cachefill", "builder"]
missing = [s for s in wanted if s not in present]

console = ["", f"{'figure':<62} {'WasmMesh':>18} {'peer':>26} {'ratio':>7}  {'goal':<28} verdict"]
for fig, w, p, r, g, v in summary:
    console.append(f"{fig:<62} {w:>18} {p:>26} {r:>7}  {g:<28} {v.replace('**', '')}")
if missing:
    console.append(f"\nMISSING sections (no results): {', '.join(missing)}")
print("\n".join(console))

m = machine
md = [
    "# Benchmarks" + (" (quick smoke run — not figures)" if quick else ""),
    "",
    f"Generated by `bash bench/run.sh{' --quick' if quick else ''}` on {m['date']} (took {m.get('duration', '?')}). "
    "Every figure comes from that one run; ratios compare WasmMesh with the peer measured in the same run, "
    "interleaved (A B, B A, …) and taken as medians over rounds. Re-run the command to reproduce; expect different "
    "absolute numbers on other machines, and compare the ratios.",
    "",
    "Run it: `bash bench/run.sh` (about 10–20 minutes on 2 cores; installs nginx, wrk, skopeo, docker-registry and "
    "GNU time with apt when missing). `--quick` runs every benchmark briefly as a smoke test (about 2 minutes; it checks "
    "that each benchmark produced results, never timings), `--only serving,registry,cli,controller,cachefill,builder` "
    "runs some sections, `--head` builds the last commit instead of the working tree, `--keep` keeps the scratch "
    "directory with every log. Methods: `bench/lib/*.sh`; raw results of this run: `bench/results/latest.tsv`.",
    "",
    "## Machine",
    "",
    table(["", ""], [
        ["CPUs (nproc)", m["nproc"]], ["CPU model", m["cpu"]], ["memory", m["memory"]], ["OS", m["os"]],
        ["kernel", m["kernel"]], [".NET", m["dotnet"]], ["tools", m["tools"]], ["built from", m.get("source", "?")],
        ["load average at start / end", f"{m.get('load_start', '?')} / {m.get('load_end', '?')}"],
    ]),
    "",
    m.get("noise", ""),
    "",
    "## Summary",
    "",
    table(["figure", "WasmMesh", "peer", "ratio", "goal", "verdict"], [list(s) for s in summary]),
    "",
]
for title, body in sections:
    md += [f"## {title}", "", body, ""]
if analysis_path and not quick:
    md += [open(analysis_path).read().rstrip(), ""]
with open(out_path, "w") as f:
    f.write("\n".join(md))
sys.exit(1 if missing else 0)
