#!/usr/bin/env bash
# Measures wasmc push/pull against a private docker-registry on 127.0.0.1:
#  - peak RSS (/usr/bin/time -v) of push and pull of a LARGE_MIB module (default 200 MiB)
#  - wall time of push and pull of a SMALL_MIB module (default 20 MiB) next to `skopeo copy` of the same image
# Usage: bench/registry/run.sh   (needs docker-registry, skopeo, /usr/bin/time, python3, a built wasmc)
set -euo pipefail
cd "$(dirname "$0")/../.."
LARGE_MIB=${LARGE_MIB:-200}
SMALL_MIB=${SMALL_MIB:-20}
dotnet build samples/Wasmc -c Release -v q -nologo >/dev/null
WASMC=$PWD/samples/Wasmc/bin/Release/net10.0/wasmc
work=$(mktemp -d /tmp/wasmmesh-bench-XXXXXX)
trap 'for f in "$work"/*.pid; do kill "$(cat "$f")" 2>/dev/null || true; done; rm -rf "$work"' EXIT
start_registry() { # name -> writes $work/name.port
  local name=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/$name"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/$name" "$port" >"$work/$name.yml"
  docker-registry serve "$work/$name.yml" >"$work/$name.log" 2>&1 &
  echo $! >"$work/$name.pid"
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  echo "$port" >"$work/$name.port"
}
# wasmc pushes to the first registry; skopeo pushes to a second, empty one (no blob already there to mount).
start_registry one; port=$(cat "$work/one.port")
start_registry two; port2=$(cat "$work/two.port")

# A valid module: header, then one custom section of random bytes.
make_module() { python3 - "$1" "$2" <<'PY'
import os, sys
path, mib = sys.argv[1], int(sys.argv[2])
name = b"bench.padding"
payload = mib * 1024 * 1024 - 8 - 1 - 5 - 1 - len(name)
size = 1 + len(name) + payload
leb = bytes([(size >> (7 * i) & 0x7f) | (0x80 if i < 4 else 0) for i in range(5)])
with open(path, "wb") as f:
    f.write(b"\0asm\1\0\0\0" + b"\0" + leb + bytes([len(name)]) + name)
    left = payload
    while left:
        n = min(left, 1 << 20); f.write(os.urandom(n)); left -= n
PY
}

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt"
  local rss wall
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  printf '%-42s wall %-9s peak RSS %6d MiB\n' "$label" "$wall" $((rss / 1024))
}

make_module "$work/large.wasm" "$LARGE_MIB"
make_module "$work/small.wasm" "$SMALL_MIB"
export DOCKER_CONFIG=$work/docker
for format in image artifact; do
  measure "wasmc push ${LARGE_MIB} MiB ($format)" "$WASMC" push "127.0.0.1:$port/bench/large-$format:v1" -f "$work/large.wasm" --format "$format"
  measure "wasmc pull ${LARGE_MIB} MiB ($format)" "$WASMC" pull "127.0.0.1:$port/bench/large-$format:v1" -o "$work/pulled-large-$format"
  cmp "$work/large.wasm" "$work/pulled-large-$format/filter.wasm"
done
for format in image artifact; do
  measure "wasmc push ${SMALL_MIB} MiB ($format)" "$WASMC" push "127.0.0.1:$port/bench/small-$format:v1" -f "$work/small.wasm" --format "$format"
  measure "wasmc pull ${SMALL_MIB} MiB ($format)" "$WASMC" pull "127.0.0.1:$port/bench/small-$format:v1" -o "$work/pulled-small-$format"
  cmp "$work/small.wasm" "$work/pulled-small-$format/filter.wasm"
  # skopeo: the same image, registry -> OCI layout (pull) and OCI layout -> a new repository (push)
  measure "skopeo copy ${SMALL_MIB} MiB registry->oci ($format)" skopeo copy -q --src-tls-verify=false "docker://127.0.0.1:$port/bench/small-$format:v1" "oci:$work/oci-$format:v1"
  measure "skopeo copy ${SMALL_MIB} MiB oci->registry ($format)" skopeo copy -q --dest-tls-verify=false "oci:$work/oci-$format:v1" "docker://127.0.0.1:$port2/bench/skopeo-$format:v1"
done
