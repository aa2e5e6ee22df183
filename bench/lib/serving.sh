# Section 1 — serving: cached modules of 16 KiB, 1 MiB and 10 MiB served by wasmer's /wasm/<sha256> endpoint
# versus nginx serving the same bytes as a static file with sendfile on, measured with wrk, interleaved.
#
# wasmer is the real host (samples/Wasmer, Release) against the API test server: one AutoWasm per module with an
# object source on the nginx instance, so wasmer fetches, verifies and caches each module exactly as in a cluster;
# then both servers are loaded in turn: nginx, wasmer, wasmer, nginx, nginx, wasmer … (the order alternates).

section_serving() {
  local duration=${SERVING_DURATION:-10s} warmup=${SERVING_WARMUP:-5s} rounds=${SERVING_ROUNDS:-3}
  local threads=2 connections=32
  if [ "$QUICK" = 1 ]; then duration=1s; warmup=1s; rounds=1; fi
  local dir="$WORK/serving"
  mkdir -p "$dir/www/wasm" "$dir/www/src"
  log "serving: modules, nginx, API server, wasmer"
  local sizes=(16KiB:16384 1MiB:1048576 10MiB:10485760)
  local entry label bytes hex
  declare -A HEX=()
  for entry in "${sizes[@]}"; do
    label=${entry%%:*}; bytes=${entry#*:}
    make_module "$dir/www/src/$label.wasm" "$bytes" 7
    hex=$(sha256_of "$dir/www/src/$label.wasm")
    cp "$dir/www/src/$label.wasm" "$dir/www/wasm/$hex"
    HEX[$label]=$hex
  done
  start_nginx serving-nginx "$dir/www"
  local nginx_port=$NGINX_PORT
  start_apiserver serving-api
  local kubeconfig=$KUBECONFIG_PATH
  local i=0
  for entry in "${sizes[@]}"; do
    label=${entry%%:*}
    driver create --kubeconfig "$kubeconfig" --count 1 --start "$i" --prefix "serve-${label,,}-" \
      --url "http://127.0.0.1:$nginx_port/src/$label.wasm" >/dev/null
    i=$((i + 1))
  done
  local port; port=$(free_port)
  start_wasmer serving-wasmer "$port" "$kubeconfig" "$dir/cache"
  local wasmer_pid=$WASMER_PID
  driver synced --kubeconfig "$kubeconfig" --prefix serve- --marks "${#sizes[@]}" --timeout 180 >"$dir/synced.out" \
    || die "serving: wasmer did not sync the modules ($(tail -1 "$dir/synced.out"); log $WORK/serving-wasmer.log)"

  for entry in "${sizes[@]}"; do
    label=${entry%%:*}; hex=${HEX[$label]}
    local got
    for url in "http://127.0.0.1:$port/wasm/$hex" "http://127.0.0.1:$nginx_port/wasm/$hex"; do
      got=$(curl -sf "$url" | sha256sum | cut -d' ' -f1)
      [ "$got" = "$hex" ] || die "serving: $url served bytes hashing to $got, not $hex"
    done
  done
  note serving "wrk -t$threads -c$connections -d$duration --latency per run, $rounds interleaved rounds (order alternates), warm-up $warmup per server and size; figures are medians; nginx: worker_processes auto, sendfile on, access log off; wasmer: samples/Wasmer Release as shipped (module memory cache default), started with --Wasmer:Port/ListenAddress/Kubeconfig/CacheDirectory."

  run_wrk() { # subject label round url
    local out
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$4" >"$dir/wrk-$2-$1-$3.txt"
    out=$(python3 "$ROOT/bench/lib/wrk_parse.py" <"$dir/wrk-$2-$1-$3.txt")
    read -r rps mib p99 errors <<<"$out"
    record serving "$2" "$1" rps "$3" "$rps"
    record serving "$2" "$1" mibps "$3" "$mib"
    record serving "$2" "$1" p99_ms "$3" "$p99"
    record serving "$2" "$1" errors "$3" "$errors"
    log "serving $2 $1 round $3: $rps req/s, $mib MiB/s, p99 $p99 ms, errors $errors"
  }

  local round wurl nurl
  for entry in "${sizes[@]}"; do
    label=${entry%%:*}; hex=${HEX[$label]}
    wurl="http://127.0.0.1:$port/wasm/$hex"
    nurl="http://127.0.0.1:$nginx_port/wasm/$hex"
    wrk -t"$threads" -c"$connections" -d"$warmup" "$nurl" >/dev/null
    wrk -t"$threads" -c"$connections" -d"$warmup" "$wurl" >/dev/null
    for round in $(seq 1 "$rounds"); do
      if [ $((round % 2)) = 1 ]; then
        run_wrk nginx "$label" "$round" "$nurl"; run_wrk wasmer "$label" "$round" "$wurl"
      else
        run_wrk wasmer "$label" "$round" "$wurl"; run_wrk nginx "$label" "$round" "$nurl"
      fi
    done
  done
  record serving all wasmer rss_mib 1 $(($(rss_kib "$wasmer_pid") / 1024))
  stop_pid "$wasmer_pid"
  stop_pid "$APISERVER_PID"
  stop_pid "$NGINX_PID"
}
