#!/usr/bin/env bash
# Watch decoding, previous client against the current layer: ROUNDS alternating rounds (order swapped each round), each
# against a fresh API test server of the current tree (`serve-history COUNT`, a child process): COUNT Secrets created
# after a list, then one watch from the list's resourceVersion until all COUNT ADDED events are decoded.
#
#   bash bench/kubernetes/watch-compare.sh OLD_BENCH_DLL NEW_BENCH_DLL [COUNT=10000] [ROUNDS=3]
#
# OLD_BENCH_DLL is this bench built from a tree of the previous client with previous-client-watch.patch applied
# (a measurement aid for that tree only; see docs/benchmarks.md). Prints one line per run: round, side, seconds to all events, seconds to the first event.
set -euo pipefail
old=$1 new=$2 count=${3:-10000} rounds=${4:-3}
run() {
  local side=$1 dll=$2 round=$3 out url pid
  out=$(mktemp)
  dotnet "$new" serve-history "$count" >"$out" &
  pid=$!
  for _ in $(seq 1 600); do grep -q '^url ' "$out" && break; sleep 0.1; done
  url=$(awk '/^url / { print $2 }' "$out")
  [ -n "$url" ] || { echo "the API test server did not start" >&2; kill -KILL "$pid"; exit 1; }
  local result
  result=$(timeout 600 dotnet "$dll" watch "$count" --url "$url") || { echo "$side watch failed: $result" >&2; kill -KILL "$pid"; exit 1; }
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$out"
  echo "$round $side $(sed -n 's/.*watch=\([0-9.]*\)s firstEvent=\([0-9.]*\)s.*/\1 \2/p' <<<"$result")"
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then run previous "$old" "$round"; run current "$new" "$round"
  else run current "$new" "$round"; run previous "$old" "$round"; fi
done
