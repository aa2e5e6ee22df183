#!/usr/bin/env bash
# Cache fill CPU time: a 20 MiB module filled from a local docker-registry into an empty cache, by the module sources
# of the working tree ("after") and of a baseline commit ("before", built from `git archive` in a scratch directory),
# interleaved over rounds, in one run. Prints a Markdown table of median CPU and wall milliseconds per fill.
#
#   bash bench/fill/run.sh [BASELINE_COMMIT] [ROUNDS] [FILLS_PER_ROUND]     (defaults: 0f24149 5 5)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${1:-0f24149}; ROUNDS=${2:-5}; FILLS=${3:-5}; SIZE=$((20 * 1024 * 1024))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmmesh-fill.XXXXXX")
REG_PID=""
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

log "building the working tree and $BASE"
dotnet build -c Release -v q -nologo "$ROOT/bench/WasmMesh.Bench.Fill" -o "$WORK/after" >"$WORK/build-after.log" 2>&1 || { cat "$WORK/build-after.log"; exit 1; }
mkdir -p "$WORK/before-src"
git -C "$ROOT" archive "$BASE" | tar -x -C "$WORK/before-src"
cp -r "$ROOT/bench/WasmMesh.Bench.Fill" "$WORK/before-src/bench/"
rm -rf "$WORK/before-src/bench/WasmMesh.Bench.Fill/bin" "$WORK/before-src/bench/WasmMesh.Bench.Fill/obj"
dotnet build -c Release -v q -nologo "$WORK/before-src/bench/WasmMesh.Bench.Fill" -o "$WORK/before" >"$WORK/build-before.log" 2>&1 || { cat "$WORK/build-before.log"; exit 1; }

mkdir -p "$WORK/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$WORK/registry" "$port" >"$WORK/registry.yml"
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && break; sleep 0.1; done

python3 "$ROOT/bench/lib/make_module.py" "$WORK/module.wasm" "$SIZE" 7
fill() { dotnet "$WORK/$1/WasmMesh.Bench.Fill.dll" "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '| layout | build | CPU ms per fill (median) | wall ms per fill (median) | fills |\n|---|---|---|---|---|\n'
for format in image artifact; do
  digest=$(dotnet "$WORK/after/WasmMesh.Bench.Fill.dll" push "127.0.0.1:$port/bench/fill-$format:v1" "$WORK/module.wasm" "$format")
  ref="127.0.0.1:$port/bench/fill-$format@$digest"
  : >"$WORK/before-$format.txt"; : >"$WORK/after-$format.txt"
  for round in $(seq 1 "$ROUNDS"); do
    order="before after"; [ $((round % 2)) = 0 ] && order="after before"
    for build in $order; do
      dotnet "$WORK/$build/WasmMesh.Bench.Fill.dll" fill "$ref" "$FILLS" "$WORK/scratch" >>"$WORK/$build-$format.txt"
    done
    log "$format round $round done"
  done
  for build in before after; do
    expected=$(sha256sum "$WORK/module.wasm" | cut -c1-64)
    awk -v e="$expected" '$3 != e { print "wrong module digest " $3 > "/dev/stderr"; exit 1 }' "$WORK/$build-$format.txt"
    cpu=$(awk '{ print $1 }' "$WORK/$build-$format.txt" | median)
    wall=$(awk '{ print $2 }' "$WORK/$build-$format.txt" | median)
    label=$build; [ "$build" = before ] && label="before ($BASE)"
    printf '| %s | %s | %s | %s | %s |\n' "$format" "$label" "$cpu" "$wall" "$(wc -l <"$WORK/$build-$format.txt")"
  done
done
