#!/usr/bin/env bash
# WasmMesh benchmark suite: wasmer, wasmc and the controller measured side by side with their peers.
#
#   bash bench/run.sh                  # everything (~20 minutes on 2 cores); writes docs/benchmarks.md
#   bash bench/run.sh --quick          # every benchmark briefly, as a smoke test (asserts only that each ran)
#   bash bench/run.sh --only serving,cli      # some sections (serving registry cli controller cachefill builder)
#   options: --no-install (do not apt-get install missing tools), --keep (keep the scratch directory),
#            --head (build the last commit instead of the working tree),
#            --out FILE (write the report there instead of docs/benchmarks.md; --quick defaults to the scratch dir)
#
# Installs what it needs (apt: nginx wrk skopeo docker-registry time curl python3; the .NET SDK of global.json must
# be present), builds the Release binaries into a private directory, starts every server on 127.0.0.1 with free ports
# and private configuration, runs each pair interleaved over several rounds and reports medians and ratios.
# Sections, sizes and rounds are described in bench/lib/*.sh and in the report.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QUICK=0; INSTALL=1; KEEP=0; OUT=""; FROM_HEAD=0
ALL_SECTIONS=(serving registry cli controller cachefill builder)
SECTIONS=("${ALL_SECTIONS[@]}")
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
    --no-install) INSTALL=0 ;;
    --keep) KEEP=1 ;;
    --head) FROM_HEAD=1 ;;
    --only) IFS=, read -r -a SECTIONS <<<"$2"; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for s in "${SECTIONS[@]}"; do
  [[ " ${ALL_SECTIONS[*]} " == *" $s "* ]] || { echo "unknown section $s (${ALL_SECTIONS[*]})" >&2; exit 2; }
done

# ---- tools
need_apt=()
for pair in nginx:nginx wrk:wrk skopeo:skopeo docker-registry:docker-registry /usr/bin/time:time curl:curl python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_apt+=("${pair#*:}")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$INSTALL" = 1 ] || { echo "missing: ${need_apt[*]} (run without --no-install, or apt-get install them)" >&2; exit 2; }
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing ${need_apt[*]} …" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK is required (see global.json): https://dot.net/download" >&2; exit 2; }
# the distribution's nginx package starts a system nginx; ours run privately and never touch it

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmmesh-bench.XXXXXX")
BIN="$WORK/bin"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"; : >"$WORK/pids"
export ROOT WORK BIN RESULTS QUICK
# shellcheck source=lib/common.sh
. "$ROOT/bench/lib/common.sh"
for f in serving registry cli controller cachefill builder; do . "$ROOT/bench/lib/$f.sh"; done
cleanup() {
  stop_all
  if [ "$KEEP" = 1 ]; then log "scratch directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STARTED=$EPOCHREALTIME
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "scratch $WORK; sections: ${SECTIONS[*]}$([ "$QUICK" = 1 ] && echo ' (quick)')"

# ---- source snapshot and build
# The benchmarks build a private copy of the tree (the working tree by default, or HEAD with --head), so edits and
# builds made in the checkout while they run cannot change or lock the binaries being measured.
# (not named "src": Directory.Build.props treats any project path containing /src/ as a library)
SRC="$WORK/tree"
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  if [ "$FROM_HEAD" = 1 ]; then
    git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
    SOURCE_DESC="commit $(git -C "$ROOT" rev-parse --short HEAD)"
  else
    (cd "$ROOT" && git ls-files -z -co --exclude-standard | grep -zv -e '/bin/' -e '/obj/' -e '^BenchmarkDotNet.Artifacts/' \
      | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -x -C "$SRC")
    SOURCE_DESC="working tree at commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
  fi
else
  tar -C "$ROOT" --exclude=bin --exclude=obj --exclude=BenchmarkDotNet.Artifacts -cf - . | tar -x -C "$SRC"
  SOURCE_DESC="source tree (not a git checkout)"
fi
export SRC SOURCE_DESC
log "building Release binaries from the $SOURCE_DESC"
projects=(samples/Wasmer/Wasmer.csproj samples/Wasmc/Wasmc.csproj bench/WasmMesh.Bench.ApiServer/WasmMesh.Bench.ApiServer.csproj
  bench/WasmMesh.Bench.Driver/WasmMesh.Bench.Driver.csproj bench/WasmMesh.Benchmarks/WasmMesh.Benchmarks.csproj)
python3 - "$SRC/bench.slnf" "${projects[@]}" <<'PY'
import json, sys
json.dump({"solution": {"path": "WasmMesh.sln", "projects": [p.replace("/", "\\") for p in sys.argv[2:]]}}, open(sys.argv[1], "w"), indent=1)
PY
build_started=$EPOCHREALTIME
(cd "$SRC" && dotnet build bench.slnf -c Release -nologo -v q) >"$WORK/build.log" 2>&1 \
  || die "the Release build failed: $(grep -E 'error' "$WORK/build.log" | sort -u | head -5)"
mkdir -p "$BIN"
ln -s "$SRC/samples/Wasmer/bin/Release/net10.0" "$BIN/wasmer"
ln -s "$SRC/samples/Wasmc/bin/Release/net10.0" "$BIN/wasmc"
ln -s "$SRC/bench/WasmMesh.Bench.ApiServer/bin/Release/net10.0" "$BIN/apiserver"
ln -s "$SRC/bench/WasmMesh.Bench.Driver/bin/Release/net10.0" "$BIN/driver"
if [[ " ${SECTIONS[*]} " == *" cli "* ]] || [[ " ${SECTIONS[*]} " == *" registry "* ]]; then
  # wasmc as shipped: the Native AOT single binary (the README's publish command)
  (cd "$SRC" && dotnet publish samples/Wasmc -c Release -r linux-x64 -o "$BIN/wasmc-aot" -nologo -v q) >"$WORK/publish-wasmc-aot.log" 2>&1 \
    || die "the Native AOT publish of wasmc failed: $(grep -E 'error' "$WORK/publish-wasmc-aot.log" | sort -u | head -5)"
fi
if [[ " ${SECTIONS[*]} " == *" cli "* ]] && [ "$QUICK" = 0 ]; then
  (cd "$SRC" && dotnet publish samples/Wasmc -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true \
      -o "$BIN/wasmc-r2r" -nologo -v q) >"$WORK/publish-wasmc-r2r.log" 2>&1 \
    || log "ReadyToRun publish of wasmc failed; that variant is skipped"
  (cd "$SRC" && dotnet publish samples/Wasmc -c Release -r linux-x64 --self-contained true -p:PublishAot=false -p:PublishSingleFile=true \
      -p:PublishReadyToRun=true -o "$BIN/wasmc-sf-r2r" -nologo -v q) >"$WORK/publish-wasmc-sf-r2r.log" 2>&1 \
    || log "single-file publish of wasmc failed; that variant is skipped"
  # the floor: an empty console app that prints a version, i.e. the .NET host and runtime start-up alone
  mkdir -p "$WORK/hello"
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk">' '  <PropertyGroup>' '    <OutputType>Exe</OutputType>' \
    '    <TargetFramework>net10.0</TargetFramework>' '    <InvariantGlobalization>true</InvariantGlobalization>' \
    '    <AssemblyName>hello</AssemblyName>' '  </PropertyGroup>' '</Project>' >"$WORK/hello/hello.csproj"
  echo 'System.Console.WriteLine("0.1.0");' >"$WORK/hello/Program.cs"
  (cd "$WORK/hello" && dotnet publish -c Release -o "$BIN/hello" -nologo -v q) >"$WORK/publish-hello.log" 2>&1 \
    || log "the empty console app did not build; the .NET floor is not measured"
fi
log "build took $(awk -v a="$build_started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"

# ---- sections (each in a subshell: a failing section is reported and the others still run)
failed=()
for s in "${SECTIONS[@]}"; do
  log "== section $s"
  set +e
  ( set -e; "section_$s" )
  rc=$?
  set -e
  stop_all
  if [ "$rc" != 0 ]; then failed+=("$s"); log "section $s FAILED (exit $rc)"; fi
done

# ---- report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
duration=$(awk -v a="$STARTED" -v b="$EPOCHREALTIME" 'BEGIN { s = b - a; printf "%d min %02d s", s / 60, s % 60 }')
python3 - "$WORK/machine.json" "$duration" "$LOAD_START" "$LOAD_END" "$SOURCE_DESC" <<'PY'
import json, os, platform, re, subprocess, sys
path, duration, load_start, load_end, source = sys.argv[1:6]
def run(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (p.stdout + p.stderr).strip()
    except Exception:
        return "?"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor() or "?")
mem_kib = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
osname = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), "?")
nproc = os.cpu_count()
runtimes = ", ".join(l.split(" [")[0] for l in run("dotnet", "--list-runtimes").splitlines())
tools = "; ".join([
    run("nginx", "-v").replace("nginx version: ", ""),
    run("wrk", "-v").splitlines()[0].split(" [")[0] if run("wrk", "-v") else "wrk ?",
    run("skopeo", "--version"),
    "docker-registry " + (run("docker-registry", "--version").split()[-1] if run("docker-registry", "--version") else "?"),
    "curl " + run("curl", "--version").split()[1],
])
load = float(load_start.split()[0])
noise = ""
if load > 0.5 * nproc:
    noise = (f"**Noise:** this machine was shared with other CPU-heavy work during the run (1-minute load average "
             f"{load_start.split()[0]} at the start and {load_end.split()[0]} at the end, on {nproc} CPUs). Absolute figures are "
             "depressed and noisy; interleaving the pairs and comparing medians from the same run reduces, but does not "
             "remove, the effect on the ratios.")
json.dump({
    "date": subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True, text=True).stdout.strip(),
    "duration": duration, "nproc": str(nproc), "cpu": cpu, "memory": f"{mem_kib / 1048576:.1f} GiB",
    "os": osname, "kernel": platform.release(),
    "dotnet": f"SDK {run('dotnet', '--version')}; runtimes {runtimes}",
    "tools": tools, "source": source, "load_start": load_start, "load_end": load_end, "noise": noise,
}, open(path, "w"), indent=1)
PY
RAW=""
if [ -z "$OUT" ]; then
  if [ "$QUICK" = 1 ]; then OUT="$WORK/benchmarks-quick.md"; else OUT="$ROOT/docs/benchmarks.md"; RAW="$ROOT/bench/results/latest.tsv"; fi
fi
RAW=${RAW:-${OUT%.md}.tsv}
quick_flag=(); [ "$QUICK" = 1 ] && quick_flag=(--quick)
only=$(IFS=,; echo "${SECTIONS[*]}")
set +e
python3 "$ROOT/bench/lib/report.py" "$RESULTS" "$WORK/machine.json" "$OUT" "$ROOT/bench/lib/findings.md" --sections "$only" "${quick_flag[@]}"
report_rc=$?
set -e
mkdir -p "$(dirname "$RAW")" && cp "$RESULTS" "$RAW"
log "report: $OUT (raw results: $RAW); took $duration"
if [ ${#failed[@]} -gt 0 ] || [ "$report_rc" != 0 ]; then
  log "FAILED sections: ${failed[*]:-none} (report rc $report_rc)"
  exit 1
fi
