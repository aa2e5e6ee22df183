# Shared helpers for bench/run.sh and the section scripts in bench/lib/. Source it; it expects:
#   ROOT     the repository root
#   WORK     a private scratch directory (removed at exit by run.sh)
#   RESULTS  the results file (TSV: section, key, value) the report is rendered from
#   QUICK    1 in smoke mode, 0 otherwise
# Every process started here is recorded in $WORK/pids and stopped by stop_all (run.sh's EXIT trap).

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now() { echo "$EPOCHREALTIME"; }                       # seconds with microseconds, no process spawned
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# record SECTION CASE SUBJECT METRIC ROUND VALUE — one measured figure; bench/lib/report.py takes medians over
# rounds and ratios between subjects of the same case.
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# note SECTION TEXT — a line of explanation printed under the section's table.
note() { printf '%s\tnote\t-\t-\t-\t%s\n' "$1" "$2" >>"$RESULTS"; }

# median of the numbers given as arguments (the mean of the two middle values for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B -> A/B with 3 decimals ("nan" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.3f", a / b }'; }

# start_bg NAME COMMAND... — runs COMMAND in the background with output in $WORK/NAME.log; prints its pid.
start_bg() {
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" >>"$WORK/pids"
  echo "$pid"
}

# stop_pid PID [SIGNAL] — SIGNAL (default TERM), then SIGKILL after 10 s; waits for the process to go.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  [ -f "$WORK/pids" ] || return 0
  local pid
  for pid in $(tac "$WORK/pids"); do stop_pid "$pid"; done
  : >"$WORK/pids"
}

# wait_http URL SECONDS [PID] — until URL answers 2xx; fails early when PID exits.
wait_http() {
  local url=$1 seconds=$2 pid=${3:-}
  for _ in $(seq $((seconds * 10))); do
    curl -sf -o /dev/null "$url" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# wait_line FILE PATTERN SECONDS [PID] — until a line of FILE matches PATTERN (grep -E).
wait_line() {
  local file=$1 pattern=$2 seconds=$3 pid=${4:-}
  for _ in $(seq $((seconds * 10))); do
    grep -qE "$pattern" "$file" 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# make_module PATH BYTES [SEED] — a valid proxy-wasm module of exactly BYTES bytes.
make_module() { python3 "$ROOT/bench/lib/make_module.py" "$@"; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# start_nginx NAME DOCROOT [log] — a private nginx serving DOCROOT on a free 127.0.0.1 port with sendfile on;
# with "log", an access log in $WORK/NAME-access.log (off otherwise). Sets NGINX_PORT and NGINX_PID.
start_nginx() {
  local name=$1 root=$2 dir="$WORK/$1" access=off
  [ "${3:-}" = log ] && access="$WORK/$name-access.log"
  mkdir -p "$dir/tmp"
  chmod 755 "$WORK" "$dir"
  chmod -R a+rX "$root"
  NGINX_PORT=$(free_port)
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$dir/nginx.conf" <<CONF
$user_line
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  access_log $access;
  server_tokens off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  default_type application/wasm;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $root;
    location /wasm/ {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
CONF
  NGINX_PID=$(start_bg "$name" nginx -p "$dir" -c "$dir/nginx.conf")
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return 0
    sleep 0.1
  done
  die "nginx $name did not start (see $WORK/$name.log)"
}

# start_apiserver NAME — the Kubernetes API test server with the AutoWasm and Istio CRDs. Sets APISERVER_PID and
# KUBECONFIG_PATH ($WORK/NAME.kubeconfig).
start_apiserver() {
  local name=$1
  KUBECONFIG_PATH="$WORK/$name.kubeconfig"
  APISERVER_PID=$(start_bg "$name" dotnet "$BIN/apiserver/WasmMesh.Bench.ApiServer.dll" --kubeconfig "$KUBECONFIG_PATH")
  wait_line "$WORK/$name.log" '^ready ' 120 "$APISERVER_PID" || die "the API test server $name did not start: $(tail -5 "$WORK/$name.log")"
}

# start_wasmer NAME PORT KUBECONFIG CACHE_DIR [--Wasmer:Key=value ...] — the wasmer host (Release) on 127.0.0.1.
# Sets WASMER_PID. Does not wait; use wait_http on /readyz.
start_wasmer() {
  local name=$1 port=$2 kubeconfig=$3 cache=$4; shift 4
  mkdir -p "$cache"
  WASMER_PID=$(start_bg "$name" env --chdir="$BIN/wasmer" dotnet "$BIN/wasmer/wasmer.dll" \
    --Wasmer:Port="$port" --Wasmer:ListenAddress=127.0.0.1 --Wasmer:Kubeconfig="$kubeconfig" \
    --Wasmer:CacheDirectory="$cache" --Wasmer:AllowLoopbackSources=true --Wasmer:LeaseNamespace=default \
    --Wasmer:LeaseDuration=00:00:05 --Wasmer:RenewDeadline=00:00:04 --Wasmer:RetryPeriod=00:00:01 "$@")
}

# driver COMMAND ARGS... — the benchmark driver (bench/WasmMesh.Bench.Driver).
driver() { dotnet "$BIN/driver/WasmMesh.Bench.Driver.dll" "$@"; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
