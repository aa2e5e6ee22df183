#!/usr/bin/env bash
# Regenerates every src/*/PublicAPI.Unshipped.txt from the PublicApiAnalyzers' RS0016 diagnostics ("Symbol '…' is not
# part of the declared public API"): run it after changing a public API (or after merging branches that did), review
# the diff, commit. PublicAPI.Shipped.txt files are left alone: move lines there when a version ships.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
done
# Every project at once, from scratch, with the declared-API warnings not treated as errors so that all are reported.
dotnet build WasmMesh.sln --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -clp:NoSummary -v:q > "$log" 2>&1 || true
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  full=$(cd "$dir" && pwd)
  {
    printf '#nullable enable\n'
    grep -F "[$full/$(basename "$project")]" "$log" \
      | grep -o "warning RS0016: Symbol '.*' is not part of the declared public API" \
      | sed -e "s/^warning RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" \
      | sort -u
  } > "$dir/PublicAPI.Unshipped.txt"
  echo "$dir/PublicAPI.Unshipped.txt: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) entries"
done
if grep -q "error " "$log"; then
  echo "the build reported errors besides the API baselines:" >&2
  grep "error " "$log" | sort -u | head -20 >&2
  exit 1
fi
