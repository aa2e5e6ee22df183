#!/usr/bin/env bash
# Serving benchmark: a cached module served by the /wasm/{sha256} endpoint (Kestrel, Release build) versus
# nginx serving the same file with sendfile, measured side by side with wrk on this machine.
#
#   bench/serving/run.sh                     # 1 MiB module, wrk -t2 -c32 -d10s, 2 rounds
#   MODULE_SIZE=4194304 DURATION=20s ROUNDS=3 bench/serving/run.sh
#   ENDPOINT_ARGS="--memory-cache 0" bench/serving/run.sh   # serve from the cache file (SendFileAsync) only
#
# Needs: dotnet, nginx, wrk, curl, python3, bc. Prints requests/s of both servers per round, the server CPU time
# per request (user+system of the server processes, less sensitive to other load than requests/s), the means and
# the ratio of requests/s; the target is a ratio of at least 0.8.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODULE_SIZE=${MODULE_SIZE:-1048576}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}

for tool in dotnet nginx wrk curl python3 bc; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasmmesh-serving-bench.XXXXXX")
chmod 755 "$WORK"
HOST_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$HOST_PID" ] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "error: $1 did not answer" >&2
  return 1
}

echo "Building the endpoint host (Release)…"
dotnet build -c Release "$ROOT/bench/WasmMesh.Bench.Serving" -o "$WORK/bin" -nologo -v quiet >/dev/null

KESTREL_PORT=$(free_port)
NGINX_PORT=$(free_port)
mkdir -p "$WORK/www/wasm" "$WORK/nginx-tmp"

dotnet "$WORK/bin/WasmMesh.Bench.Serving.dll" --cache "$WORK/cache" --port "$KESTREL_PORT" \
  --module-size "$MODULE_SIZE" --export "$WORK/www/wasm" ${ENDPOINT_ARGS:-} >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 600); do
  grep -q '^ready' "$WORK/host.log" 2>/dev/null && break
  kill -0 "$HOST_PID" 2>/dev/null || { cat "$WORK/host.log" >&2; exit 1; }
  sleep 0.1
done
HEX=$(awk '/^sha256 /{print $2}' "$WORK/host.log")
[ -n "$HEX" ] || { echo "error: the endpoint host did not start" >&2; cat "$WORK/host.log" >&2; exit 1; }
chmod -R a+rX "$WORK/www"

USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
cat >"$WORK/nginx.conf" <<CONF
$USER_LINE
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  access_log off;
  server_tokens off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  default_type application/wasm;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /wasm/ {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
CONF
nginx -p "$WORK" -c "$WORK/nginx.conf" &
NGINX_PID=$!

KESTREL_URL="http://127.0.0.1:$KESTREL_PORT/wasm/$HEX"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/wasm/$HEX"
wait_for "$KESTREL_URL" 30
wait_for "$NGINX_URL" 30

for url in "$KESTREL_URL" "$NGINX_URL"; do
  got=$(curl -sf "$url" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$HEX" ] || { echo "error: $url served bytes hashing to $got, not $HEX" >&2; exit 1; }
done

cpu_ticks() { # pids… -> user+system clock ticks
  local total=0 pid u s
  for pid in "$@"; do
    read -r u s < <(awk '{print $14, $15}' "/proc/$pid/stat")
    total=$((total + u + s))
  done
  echo "$total"
}

# Runs wrk against a URL; prints "<requests/s> <server CPU µs per request>" for the given server pids.
measure() { # url duration pids…
  local url=$1 duration=$2 before after out requests
  shift 2
  before=$(cpu_ticks "$@")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$url")
  after=$(cpu_ticks "$@")
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  echo "$(echo "$out" | awk '/^Requests\/sec:/{print $2}') $(echo "($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc -l)"
}

echo "Module: $MODULE_SIZE bytes, sha256 $HEX"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds (warm-up $WARMUP each), $(nproc) CPUs"
NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
measure "$KESTREL_URL" "$WARMUP" "$HOST_PID" >/dev/null
measure "$NGINX_URL" "$WARMUP" $NGINX_PIDS >/dev/null

nginx_total=0
kestrel_total=0
nginx_cpu_total=0
kestrel_cpu_total=0
for round in $(seq 1 "$ROUNDS"); do
  # Alternate the order so neither server always runs on a warmer machine.
  if [ $((round % 2)) = 1 ]; then
    read -r n ncpu < <(measure "$NGINX_URL" "$DURATION" $NGINX_PIDS)
    read -r k kcpu < <(measure "$KESTREL_URL" "$DURATION" "$HOST_PID")
  else
    read -r k kcpu < <(measure "$KESTREL_URL" "$DURATION" "$HOST_PID")
    read -r n ncpu < <(measure "$NGINX_URL" "$DURATION" $NGINX_PIDS)
  fi
  printf 'round %d: nginx %9.1f req/s (%6.0f us CPU/req)   endpoint %9.1f req/s (%6.0f us CPU/req)   ratio %.3f\n' \
    "$round" "$n" "$ncpu" "$k" "$kcpu" "$(echo "$k / $n" | bc -l)"
  nginx_total=$(echo "$nginx_total + $n" | bc -l)
  kestrel_total=$(echo "$kestrel_total + $k" | bc -l)
  nginx_cpu_total=$(echo "$nginx_cpu_total + $ncpu" | bc -l)
  kestrel_cpu_total=$(echo "$kestrel_cpu_total + $kcpu" | bc -l)
done

nginx_mean=$(echo "$nginx_total / $ROUNDS" | bc -l)
kestrel_mean=$(echo "$kestrel_total / $ROUNDS" | bc -l)
ratio=$(echo "$kestrel_mean / $nginx_mean" | bc -l)
printf 'mean:    nginx %9.1f req/s (%6.0f us CPU/req)   endpoint %9.1f req/s (%6.0f us CPU/req)   ratio %.3f (target >= 0.8)\n' \
  "$nginx_mean" "$(echo "$nginx_cpu_total / $ROUNDS" | bc -l)" "$kestrel_mean" "$(echo "$kestrel_cpu_total / $ROUNDS" | bc -l)" "$ratio"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine skews the figures)"
