# Section 2 — registry transfer: `wasmc push` / `wasmc pull` versus `skopeo copy` of the same module to and from
# the same private docker-registry, for a 16 KiB and a 20 MiB module: wall time and peak RSS (/usr/bin/time),
# interleaved (wasmc, skopeo, wasmc-jit; the order rotates each round). wasmc is the Native AOT binary as shipped;
# wasmc-jit, the framework-dependent JIT build, is measured in the same rounds for comparison.
#
#   push: wasmc push REF -f module.wasm            vs  skopeo copy oci:LAYOUT docker://REF   (fresh repository each run)
#   pull: wasmc pull REF -o DIR                    vs  skopeo copy docker://REF oci:DIR      (fresh directory each run)
# The OCI layout skopeo pushes from holds the very image wasmc pushed (copied once by skopeo before measuring).
# Each push targets a fresh, empty docker-registry.
# Diagnostic extra: `wasmc push --format artifact` (module stored as is: no tar, no gzip) after each round's pairs.

section_registry() {
  local rounds=${REGISTRY_ROUNDS:-5}
  [ "$QUICK" = 1 ] && rounds=1
  local dir="$WORK/registry"
  mkdir -p "$dir"
  # start_registry NAME — a private docker-registry with its own storage; sets REG_PORT and REG_PID
  start_registry() {
    REG_PORT=$(free_port)
    mkdir -p "$dir/$1"
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
      "$dir/$1" "$REG_PORT" >"$dir/$1.yml"
    REG_PID=$(start_bg "registry-$1" docker-registry serve "$dir/$1.yml")
    wait_http "http://127.0.0.1:$REG_PORT/v2/" 30 "$REG_PID" || die "docker-registry did not start ($WORK/registry-$1.log)"
  }
  start_registry source
  local registry_pid=$REG_PID port=$REG_PORT
  # Private credential stores: neither tool reads the user's configuration.
  mkdir -p "$dir/docker"; echo '{}' >"$dir/docker/config.json"; echo '{}' >"$dir/auth.json"
  export DOCKER_CONFIG="$dir/docker"   # (docker-registry reads REGISTRY_* variables as settings: skopeo gets --authfile)
  local auth=(--authfile "$dir/auth.json")
  local wasmc="$BIN/wasmc-aot/wasmc" jit="$BIN/wasmc/wasmc" reg="127.0.0.1:$port"
  [ -x "$wasmc" ] || die "registry: the Native AOT wasmc is missing ($wasmc)"
  note registry "$rounds interleaved rounds (the order of wasmc, skopeo and wasmc-jit rotates each round), medians; wall time from the shell's clock around /usr/bin/time, peak RSS = /usr/bin/time %M. wasmc = samples/Wasmc published as a Native AOT single binary (as shipped); wasmc-jit = the framework-dependent JIT build (comparison); skopeo $(skopeo --version | awk '{print $3}') with --src/--dest-tls-verify=false; wasmc uses its loopback plain-HTTP fallback (no flag)."

  push_target() { # NAME -> prints host:port of a fresh, empty registry (its pid goes to push.pids)
    start_registry "push-$1" >/dev/null
    echo "$REG_PID" >>"$dir/push.pids"
    echo "127.0.0.1:$REG_PORT"
  }
  stop_push_targets() {
    local p
    [ -f "$dir/push.pids" ] || return 0
    for p in $(cat "$dir/push.pids"); do stop_pid "$p" KILL; done
    : >"$dir/push.pids"
    rm -rf "$dir"/push-*
  }

  measure() { # case subject metric-prefix round command...
    local case=$1 subject=$2 op=$3 round=$4; shift 4
    local t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>&1 || die "registry: '$*' failed: $(tail -3 "$dir/out.txt")"
    t1=$EPOCHREALTIME
    local wall rss
    wall=$(elapsed "$t0" "$t1")
    rss=$(tail -1 "$dir/time.txt")
    record registry "$op $case" "$subject" wall_s "$round" "$wall"
    record registry "$op $case" "$subject" rss_mib "$round" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
    log "registry $op $case $subject round $round: ${wall}s, peak RSS $((rss / 1024)) MiB"
  }

  local entry label bytes round repo op
  for entry in 16KiB:16384 20MiB:20971520; do
    label=${entry%%:*}; bytes=${entry#*:}; repo=${label,,}
    make_module "$dir/$label.wasm" "$bytes" 11
    "$wasmc" push "$reg/bench/src-$repo:v1" -f "$dir/$label.wasm" >/dev/null || die "registry: wasmc push failed"
    skopeo copy -q "${auth[@]}" --src-tls-verify=false "docker://$reg/bench/src-$repo:v1" "oci:$dir/layout-$label:v1" \
      || die "registry: skopeo could not copy the source image"
    # one unmeasured run of each, so that both start from warm file caches
    "$wasmc" pull "$reg/bench/src-$repo:v1" -o "$dir/warm-wasmc" >/dev/null
    "$jit" pull "$reg/bench/src-$repo:v1" -o "$dir/warm-jit" >/dev/null
    skopeo copy -q "${auth[@]}" --src-tls-verify=false "docker://$reg/bench/src-$repo:v1" "oci:$dir/warm-skopeo:v1"
    for round in $(seq 1 "$rounds"); do
      # every push goes to an empty registry of its own: no blob to skip and none to mount (skopeo remembers
      # where it has seen a blob and would mount it from another repository of the same registry instead of uploading)
      local target; target=$(push_target "w-$label-$round")
      local push_w=("$wasmc" push "$target/bench/module:v1" -f "$dir/$label.wasm")
      target=$(push_target "j-$label-$round")
      local push_j=("$jit" push "$target/bench/module:v1" -f "$dir/$label.wasm")
      target=$(push_target "s-$label-$round")
      local push_s=(skopeo copy -q "${auth[@]}" --dest-tls-verify=false "oci:$dir/layout-$label:v1" "docker://$target/bench/module:v1")
      target=$(push_target "a-$label-$round")
      local push_a=("$wasmc" push "$target/bench/module:v1" -f "$dir/$label.wasm" --format artifact)
      local pull_w=("$wasmc" pull "$reg/bench/src-$repo:v1" -o "$dir/pull-wasmc-$label-$round")
      local pull_j=("$jit" pull "$reg/bench/src-$repo:v1" -o "$dir/pull-jit-$label-$round")
      local pull_s=(skopeo copy -q "${auth[@]}" --src-tls-verify=false "docker://$reg/bench/src-$repo:v1" "oci:$dir/pull-skopeo-$repo-$round:v1")
      local order subject
      case $((round % 3)) in
        1) order=(wasmc skopeo wasmc-jit) ;;
        2) order=(skopeo wasmc-jit wasmc) ;;
        *) order=(wasmc-jit wasmc skopeo) ;;
      esac
      for op in push pull; do
        for subject in "${order[@]}"; do
          case $op/$subject in
            push/wasmc) measure "$label" wasmc push "$round" "${push_w[@]}" ;;
            push/wasmc-jit) measure "$label" wasmc-jit push "$round" "${push_j[@]}" ;;
            push/skopeo) measure "$label" skopeo push "$round" "${push_s[@]}" ;;
            pull/wasmc) measure "$label" wasmc pull "$round" "${pull_w[@]}" ;;
            pull/wasmc-jit) measure "$label" wasmc-jit pull "$round" "${pull_j[@]}" ;;
            pull/skopeo) measure "$label" skopeo pull "$round" "${pull_s[@]}" ;;
          esac
        done
      done
      # diagnostic: the artifact layout stores the module as is (no tar, no gzip)
      measure "$label" wasmc-artifact push "$round" "${push_a[@]}"
      cmp -s "$dir/$label.wasm" "$dir/pull-wasmc-$label-$round/filter.wasm" || die "registry: wasmc pulled different bytes"
      stop_push_targets
      cmp -s "$dir/$label.wasm" "$dir/pull-jit-$label-$round/filter.wasm" || die "registry: wasmc-jit pulled different bytes"
      rm -rf "$dir/pull-wasmc-$label-$round" "$dir/pull-jit-$label-$round" "$dir/pull-skopeo-$repo-$round"
    done
  done
  unset DOCKER_CONFIG
  stop_push_targets
  stop_pid "$registry_pid"
}
