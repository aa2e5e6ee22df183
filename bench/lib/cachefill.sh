# Section 5 — cache fill: a wasmer replica that has never fetched a module gets 200 concurrent requests for it.
# The upstream (nginx, access log on) must see exactly one fetch, and the whole burst is compared with a single
# request for another uncached module of the same size on the same replica.
#
# Setup: the API server holds AutoWasms whose status already names their module digest (as the leader replica
# writes it) and a Lease held by another identity, so the measured wasmer stays a follower: it fetches nothing by
# itself and fills its cache only on demand, through the digest resolver, single-flighted per digest.
# Each round uses two fresh digests: one for the single request, one for the burst (order alternates); each load is
# repeated once the module is cached, so that the cost of filling can be told from the cost of serving 200 copies.

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
  local round kind name names=()
  for round in $(seq 1 "$rounds"); do names+=("single-$round" "burst-$round"); done
  names+=(warm-single warm-burst)
  local i=0
  for name in "${names[@]}"; do
    i=$((i + 1))
    make_module "$dir/www/$name.wasm" "$size" $((100 + i))
    HEX[$name]=$(sha256_of "$dir/www/$name.wasm")
    driver create --kubeconfig "$kubeconfig" --count 1 --start "$i" --prefix "fill-" \
      --url "$objects/$name.wasm" --sha256 "${HEX[$name]}" >/dev/null
  done
  local port; port=$(free_port)
  start_wasmer cachefill-wasmer "$port" "$kubeconfig" "$dir/cache"
  local wasmer_pid=$WASMER_PID
  wait_http "http://127.0.0.1:$port/readyz" 120 "$wasmer_pid" || die "cachefill: wasmer did not become ready ($WORK/cachefill-wasmer.log)"
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"
  local leader
  leader=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^wasmmesh_leader_election_leader/ { print $2 }')
  [ "${leader:-0}" = 0 ] || die "cachefill: the measured replica became leader; it would fetch modules by itself"
  note cachefill "$rounds interleaved rounds after one unmeasured warm-up of each kind, medians; module $((size / 1024)) KiB; burst = $burst concurrent GETs by one curl process (--parallel --parallel-max $burst), single = one GET by one curl process; uncached = a digest this replica has never fetched (each measurement its own digest), cached = the same load repeated right after; fill cost = uncached − cached; fetches = requests for that module in the upstream nginx access log."

  local t0 t1 codes
  fire() { # kind url -> sets ELAPSED; checks every response
    local kind=$1 url=$2
    if [ "$kind" = single ]; then
      t0=$EPOCHREALTIME
      codes=$(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$url")
      t1=$EPOCHREALTIME
    else
      local args=() j
      for j in $(seq 1 "$burst"); do args+=(-o /dev/null "$url"); done
      t0=$EPOCHREALTIME
      codes=$(curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$burst" -w '%{http_code} %{size_download}\n' "${args[@]}")
      t1=$EPOCHREALTIME
    fi
    ELAPSED=$(elapsed "$t0" "$t1")
    local ok expected=1
    [ "$kind" = burst ] && expected=$burst
    ok=$(printf '%s\n' "$codes" | awk -v s="$size" '$1 == 200 && $2 == s { n++ } END { print n + 0 }')
    [ "$ok" = "$expected" ] || die "cachefill: $ok of $expected responses were complete 200s for $url: $(printf '%s\n' "$codes" | sort | uniq -c | head -3)"
  }
  one() { # kind name [round] — the uncached load, then the same load again now that the module is cached
    local kind=$1 name=$2 round=${3:-}
    local url="http://127.0.0.1:$port/wasm/${HEX[$name]}" uncached cached fetches
    fire "$kind" "$url"; uncached=$ELAPSED
    fire "$kind" "$url"; cached=$ELAPSED
    [ -n "$round" ] || return 0
    sleep 0.2 # nginx writes its access log line after the response
    fetches=$(grep -c "GET /$name.wasm " "$WORK/cachefill-objects-access.log" || true)
    record cachefill "$burst" "$kind" wall_s "$round" "$uncached"
    record cachefill "$burst" "$kind" cached_wall_s "$round" "$cached"
    record cachefill "$burst" "$kind" fetches "$round" "$fetches"
    log "cachefill $kind round $round: uncached ${uncached}s, cached ${cached}s, upstream fetches $fetches"
  }
  one single warm-single; one burst warm-burst   # unmeasured: JIT and connection pools warm for both kinds
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then one single "single-$round" "$round"; one burst "burst-$round" "$round"
    else one burst "burst-$round" "$round"; one single "single-$round" "$round"; fi
  done
  stop_pid "$wasmer_pid"; stop_pid "$APISERVER_PID"; stop_pid "$NGINX_PID"
}
