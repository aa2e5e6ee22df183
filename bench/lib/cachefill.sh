# Section 5 — cache fill: a wasmer replica that has never fetched a module gets 200 concurrent requests for it.
# The upstream (nginx, access log on) must see exactly one fetch, and the whole burst is compared with a single
# request for another uncached module of the same size on the same replica.
#
# Setup: the API server holds AutoWasms whose status already names their module digest (as the leader replica
# writes it) and a Lease held by another identity, so the measured wasmer stays a follower: it fetches nothing by
# itself and fills its cache only on demand, through the digest resolver, single-flighted per digest.
# Each round uses two fresh digests: one for the single request, one for the burst (order alternates).

section_cachefill() {
  local rounds=${CACHEFILL_ROUNDS:-3} burst=${CACHEFILL_BURST:-200} size=${CACHEFILL_SIZE:-1048576}
  [ "$QUICK" = 1 ] && rounds=1
  local dir="$WORK/cachefill"
  mkdir -p "$dir/www"
  start_nginx cachefill-objects "$dir/www" log
  local objects="http://127.0.0.1:$NGINX_PORT"
  start_apiserver cachefill-api
  local kubeconfig=$KUBECONFIG_PATH
  driver lease --kubeconfig "$kubeconfig" --name wasmer-leader --namespace default --holder another-replica --seconds 3600 >/dev/null
  declare -A HEX=()
  local round kind name
  for round in $(seq 1 "$rounds"); do
    for kind in single burst; do
      name="$kind-$round"
      make_module "$dir/www/$name.wasm" "$size" $((round * 10 + ${#kind}))
      HEX[$name]=$(sha256_of "$dir/www/$name.wasm")
      driver create --kubeconfig "$kubeconfig" --count 1 --start "$round" --prefix "fill-$kind-" \
        --url "$objects/$name.wasm" --sha256 "${HEX[$name]}" >/dev/null
    done
  done
  local port; port=$(free_port)
  start_wasmer cachefill-wasmer "$port" "$kubeconfig" "$dir/cache"
  local wasmer_pid=$WASMER_PID
  wait_http "http://127.0.0.1:$port/readyz" 120 "$wasmer_pid" || die "cachefill: wasmer did not become ready ($WORK/cachefill-wasmer.log)"
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"
  local leader
  leader=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^wasmmesh_controllers_wasmmesh_leader_election_leader/ { print $2 }')
  [ "${leader:-0}" = 0 ] || die "cachefill: the measured replica became leader; it would fetch modules by itself"
  note cachefill "$rounds rounds; module $((size / 1024)) KiB; burst = $burst concurrent GETs by one curl process (--parallel --parallel-max $burst), single = one GET by one curl process, both through wasmer on a digest it has not cached; fetches = requests for that module in the upstream nginx access log."

  local t0 t1 fetches codes
  one() { # kind round
    local kind=$1 round=$2 name="$1-$2" hex url
    hex=${HEX[$name]}
    url="http://127.0.0.1:$port/wasm/$hex"
    if [ "$kind" = single ]; then
      t0=$EPOCHREALTIME
      codes=$(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$url")
      t1=$EPOCHREALTIME
    else
      local args=() i
      for i in $(seq 1 "$burst"); do args+=(-o /dev/null "$url"); done
      t0=$EPOCHREALTIME
      codes=$(curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$burst" -w '%{http_code} %{size_download}\n' "${args[@]}")
      t1=$EPOCHREALTIME
    fi
    local ok
    ok=$(printf '%s\n' "$codes" | awk -v s="$size" '$1 == 200 && $2 == s { n++ } END { print n + 0 }')
    local expected=1
    [ "$kind" = burst ] && expected=$burst
    [ "$ok" = "$expected" ] || die "cachefill: $ok of $expected responses were complete 200s for $name: $(printf '%s\n' "$codes" | sort | uniq -c | head -3)"
    sleep 0.2 # nginx writes its access log line after the response
    fetches=$(grep -c "GET /$name.wasm " "$WORK/cachefill-objects-access.log" || true)
    record cachefill "$burst" "$kind" wall_s "$round" "$(elapsed "$t0" "$t1")"
    record cachefill "$burst" "$kind" fetches "$round" "$fetches"
    log "cachefill $kind round $round: $(elapsed "$t0" "$t1")s, upstream fetches $fetches"
  }
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then one single "$round"; one burst "$round"; else one burst "$round"; one single "$round"; fi
  done
  stop_pid "$wasmer_pid"; stop_pid "$APISERVER_PID"; stop_pid "$NGINX_PID"
}
