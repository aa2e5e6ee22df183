# Section 4 — controller scale: wasmer (Release) against a standalone Kubernetes API test server
# (bench/WasmMesh.Bench.ApiServer), every AutoWasm pointing at one shared 16 KiB module on a local nginx.
#
#   cold start     N AutoWasms exist (created through the API by bench/WasmMesh.Bench.Driver, 16 in flight) before
#                  wasmer starts; the time from launching the wasmer process until all N report phase Synced
#                  (N = 1,000 and 10,000, each against a fresh API server)
#   RSS            wasmer's resident set once 10,000 are Synced (VmRSS, and the peak VmHWM)
#   quiet          writes to AutoWasms/EnvoyFilters/Events during a quiet period after sync (must be 0)
#   resync         wasmer restarted over 10,000 Synced AutoWasms re-reconciles every one of them (the same path a
#                  periodic informer resync takes, which wasmer cannot shorten from its settings): writes must be 0
#   apply latency  AutoWasms created one at a time while 10,000 exist: create -> EnvoyFilter visible to a watch
#                  (the module is already cached; the object URL is read again, as for any new AutoWasm)

section_controller() {
  local small=${CONTROLLER_SMALL:-1000} large=${CONTROLLER_LARGE:-10000}
  local small_rounds=${CONTROLLER_SMALL_ROUNDS:-3} large_rounds=${CONTROLLER_LARGE_ROUNDS:-3}
  local quiet=${CONTROLLER_QUIET:-10} samples=${CONTROLLER_LATENCY_SAMPLES:-100}
  local timeout=900
  if [ "$QUICK" = 1 ]; then small=50; large=200; small_rounds=1; large_rounds=1; quiet=2; samples=5; timeout=120; fi
  CS_TIMEOUT=$timeout
  local dir="$WORK/controller"
  mkdir -p "$dir/www"
  make_module "$dir/www/shared.wasm" 16384 3
  start_nginx controller-objects "$dir/www" log
  local url="http://127.0.0.1:$NGINX_PORT/shared.wasm"
  note controller "$small-object cold start: $small_rounds round(s), median; $large-object cold start, RSS, quiet period (${quiet}s), restart resync and apply latency ($samples sequential applies): $large_rounds round(s) — medians over rounds. Each cold start uses a fresh API server. Lease settings shortened (LeaseDuration 5s) so a restarted replica takes over quickly."

  local round count
  for round in $(seq 1 "$small_rounds"); do
    cold_start "$small" "$round" "$url" small
    stop_pid "$WASMER_PID"; stop_pid "$APISERVER_PID"
  done
  for round in $(seq 1 "$large_rounds"); do
    cold_start "$large" "$round" "$url" large
    local port=$CS_PORT kubeconfig=$KUBECONFIG_PATH
    record controller "$large" wasmer rss_mib "$round" $(($(rss_kib "$WASMER_PID") / 1024))
    record controller "$large" wasmer peak_rss_mib "$round" $(($(hwm_kib "$WASMER_PID") / 1024))
    log "controller: wasmer RSS $(($(rss_kib "$WASMER_PID") / 1024)) MiB (peak $(($(hwm_kib "$WASMER_PID") / 1024)) MiB) with $large Synced"

    # quiet period: nothing changes, nothing may be written (the lease renewals are counted apart)
    driver writes --kubeconfig "$kubeconfig" --seconds "$quiet" >"$dir/quiet.out" || die "controller: quiet-period count failed"
    record_writes "$dir/quiet.out" "$large" quiet_writes "$round"

    # restart: every unchanged AutoWasm is reconciled again
    stop_pid "$WASMER_PID"
    driver writes --kubeconfig "$kubeconfig" --metrics "http://127.0.0.1:$port/metrics" --reconciles "$large" --timeout "$timeout" >"$dir/resync.out" &
    local writes_pid=$!
    wait_line "$dir/resync.out" '^counting' 60 || die "controller: the write counter did not start"
    local t0=$EPOCHREALTIME
    start_wasmer "controller-wasmer-restart-$round" "$port" "$kubeconfig" "$dir/cache-large-$round"
    wait "$writes_pid" || die "controller: the restarted wasmer did not finish its resync ($(tail -2 "$dir/resync.out"))"
    record_writes "$dir/resync.out" "$large" resync_writes "$round"
    record controller "$large" wasmer resync_s "$round" "$(awk '/^idle/ { print $2 }' "$dir/resync.out")"
    record controller "$large" wasmer resync_reconciles "$round" "$(awk '/^idle/ { print $3 }' "$dir/resync.out")"
    log "controller: restart resync of $large: $(awk '/^idle/ { print $2 }' "$dir/resync.out")s after the counter started; $(grep '^writes' "$dir/resync.out" | tr '\n' ' ')"
    : "$t0"

    # apply -> EnvoyFilter latency with a cached module
    driver latency --kubeconfig "$kubeconfig" --count "$samples" --url "$url" --prefix "lat-$round-" >"$dir/latency.out" \
      || die "controller: latency run failed"
    read -r _ p50 p99 max n <"$dir/latency.out"
    record controller "$large" wasmer apply_p50_ms "$round" "$p50"
    record controller "$large" wasmer apply_p99_ms "$round" "$p99"
    record controller "$large" wasmer apply_max_ms "$round" "$max"
    log "controller: apply -> EnvoyFilter over $n applies: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms"
    stop_pid "$WASMER_PID"; stop_pid "$APISERVER_PID"
  done
  record controller fetches nginx object_requests 1 "$(wc -l <"$WORK/controller-objects-access.log")"
  stop_pid "$NGINX_PID"
}

# cold_start COUNT ROUND URL TAG — fresh API server, COUNT AutoWasms, then wasmer; records the time to all Synced.
# Leaves wasmer and the API server running (WASMER_PID, APISERVER_PID, KUBECONFIG_PATH, CS_PORT).
cold_start() {
  local count=$1 round=$2 url=$3 tag=$4 dir="$WORK/controller"
  start_apiserver "controller-api-$tag-$round"
  local created
  created=$(driver create --kubeconfig "$KUBECONFIG_PATH" --count "$count" --url "$url" --prefix aw- --parallel 16) \
    || die "controller: creating $count AutoWasms failed"
  record controller "$count" apiserver create_s "$round" "$(echo "$created" | awk '{ print $3 }')"
  local marks=$count
  [ "$count" -gt 1000 ] && marks="1000,$count"
  driver synced --kubeconfig "$KUBECONFIG_PATH" --prefix aw- --marks "$marks" --timeout "$CS_TIMEOUT" >"$dir/synced.out" &
  local synced_pid=$!
  wait_line "$dir/synced.out" '^watching' 120 || die "controller: the Synced watcher did not start"
  CS_PORT=$(free_port)
  local t0=$EPOCHREALTIME
  start_wasmer "controller-wasmer-$tag-$round" "$CS_PORT" "$KUBECONFIG_PATH" "$dir/cache-$tag-$round"
  wait "$synced_pid" || die "controller: wasmer did not sync $count AutoWasms ($(tail -1 "$dir/synced.out"))"
  local mark at
  while read -r _ mark at; do
    local seconds
    seconds=$(awk -v a="$t0" -v b="$at" 'BEGIN { printf "%.3f", b / 1000 - a }')
    if [ "$mark" = "$count" ]; then
      record controller "$count" wasmer cold_sync_s "$round" "$seconds"
    else
      record controller "$count" wasmer "first_${mark}_s" "$round" "$seconds"
    fi
    log "controller: $mark of $count Synced ${seconds}s after wasmer was launched (round $round)"
  done < <(grep '^synced ' "$dir/synced.out")
}

# record_writes FILE CASE METRIC ROUND — AutoWasm + EnvoyFilter + Event writes (must be 0), and lease writes apart.
record_writes() {
  local file=$1 case=$2 metric=$3 round=$4
  local objects leases
  objects=$(awk '/^writes (AutoWasm|EnvoyFilter|Event) / { s += $3 } END { print s + 0 }' "$file")
  leases=$(awk '/^writes Lease / { print $3 }' "$file")
  record controller "$case" wasmer "$metric" "$round" "$objects"
  record controller "$case" wasmer "${metric%_writes}_lease_writes" "$round" "${leases:-0}"
  log "controller: $metric = $objects (AutoWasm/EnvoyFilter/Event), lease renewals ${leases:-0}"
}
