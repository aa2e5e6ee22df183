# Section 3 — CLI start-up: `wasmc --version` versus `skopeo --version`, interleaved, wall time per process.
#
# Variants of wasmc (all Release, built by run.sh's build step):
#   wasmc               as shipped: the Native AOT single binary (dotnet publish samples/Wasmc -c Release -r linux-x64)
#   wasmc-jit           the default build: framework-dependent apphost, IL JIT-compiled at start
#   wasmc-r2r           dotnet publish -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true
#   wasmc-sf-r2r        dotnet publish -r linux-x64 --self-contained -p:PublishAot=false -p:PublishSingleFile=true -p:PublishReadyToRun=true
#   wasmc-r2r-nopgo     wasmc-r2r with DOTNET_TieredPGO=0 (no instrumented tier at start)
#   dotnet-floor        an empty console app printing a version: the .NET host + runtime start-up alone
# Full mode only for the ReadyToRun variants and the floor (--quick measures skopeo, wasmc and wasmc-jit).
# A variant is skipped (with a note) when it could not be published on this machine.

section_cli() {
  local rounds=${CLI_ROUNDS:-21}
  [ "$QUICK" = 1 ] && rounds=3
  local dir="$WORK/cli"
  mkdir -p "$dir"
  declare -A CMD=(
    [skopeo]="skopeo --version"
    [wasmc]="$BIN/wasmc-aot/wasmc --version"
    [wasmc-jit]="$BIN/wasmc/wasmc --version"
  )
  local subjects=(skopeo wasmc wasmc-jit)
  if [ -x "$BIN/wasmc-r2r/wasmc" ]; then
    CMD[wasmc-r2r]="$BIN/wasmc-r2r/wasmc --version"
    CMD[wasmc-r2r-nopgo]="env DOTNET_TieredPGO=0 $BIN/wasmc-r2r/wasmc --version"
    subjects+=(wasmc-r2r wasmc-r2r-nopgo)
  elif [ "$QUICK" = 0 ]; then
    note cli "wasmc-r2r: not measured — the ReadyToRun publish failed"
  fi
  if [ -x "$BIN/wasmc-sf-r2r/wasmc" ]; then
    CMD[wasmc-sf-r2r]="$BIN/wasmc-sf-r2r/wasmc --version"
    subjects+=(wasmc-sf-r2r)
  elif [ "$QUICK" = 0 ]; then
    note cli "wasmc-sf-r2r: not measured — the single-file self-contained publish failed"
  fi
  if [ -x "$BIN/hello/hello" ]; then
    CMD[dotnet-floor]="$BIN/hello/hello"
    subjects+=(dotnet-floor)
  fi
  local s
  for s in "${subjects[@]}"; do
    ${CMD[$s]} >/dev/null 2>&1 || die "cli: '${CMD[$s]}' failed"
    ${CMD[$s]} >/dev/null 2>&1 # warm the page cache
  done
  note cli "$rounds interleaved rounds (the order of subjects rotates each round), median wall time of one process from fork to exit (the shell's clock); peak RSS from /usr/bin/time."
  local round i n=${#subjects[@]} t0 t1
  for round in $(seq 1 "$rounds"); do
    for i in $(seq 0 $((n - 1))); do
      s=${subjects[$(((i + round) % n))]}
      t0=$EPOCHREALTIME
      ${CMD[$s]} >/dev/null 2>&1
      t1=$EPOCHREALTIME
      record cli version "$s" wall_ms "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 1000 }')"
    done
  done
  for s in "${subjects[@]}"; do
    /usr/bin/time -f '%M' -o "$dir/time.txt" ${CMD[$s]} >/dev/null 2>&1
    record cli version "$s" rss_mib 1 "$(awk -v k="$(tail -1 "$dir/time.txt")" 'BEGIN { printf "%.1f", k / 1024 }')"
  done
  log "cli: done ($rounds rounds × ${#subjects[@]} subjects)"
}
