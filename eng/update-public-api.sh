#!/usr/bin/env bash
# Regenerates src/*/PublicAPI.Unshipped.txt from the code: every public symbol of a packable library that is not in
# PublicAPI.Shipped.txt is declared in PublicAPI.Unshipped.txt, and symbols that no longer exist are dropped.
#
#   eng/update-public-api.sh            regenerate, then build the libraries to check the baselines
#   eng/update-public-api.sh --check    only build; exit 1 if a baseline is out of date (RS0016/RS0017)
#
# How: the Unshipped files are emptied, the libraries are built once with the analyzer's RS0016 ("symbol is not part
# of the declared public API") as a warning, and each reported symbol - the analyzer names it exactly as the file
# spells it - is written to its project's file. Unattended and idempotent: lines are sorted (ordinal) and unique, so
# a second run gives the same files and concurrent changes merge line by line. '*REMOVED*' lines (a shipped symbol
# deliberately removed) are kept. Shipping a release means moving the Unshipped lines into PublicAPI.Shipped.txt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
check_only=false
[[ "${1:-}" == "--check" ]] && check_only=true

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Packable libraries: every project directly under src/ (Directory.Build.props makes them packable).
mapfile -t projects < <(find src -mindepth 2 -maxdepth 2 -name '*.csproj' | LC_ALL=C sort)
if [[ ${#projects[@]} -eq 0 ]]; then
  echo "update-public-api: no projects under src/" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One MSBuild project that builds every library in one run (shared dependencies build once).
{
  echo '<Project DefaultTargets="Build">'
  echo '  <ItemGroup>'
  for project in "${projects[@]}"; do
    echo "    <Library Include=\"$root/$project\" />"
  done
  echo '  </ItemGroup>'
  echo '  <Target Name="Restore"><MSBuild Projects="@(Library)" Targets="Restore" /></Target>'
  echo '  <Target Name="Build"><MSBuild Projects="@(Library)" Targets="Build" BuildInParallel="true" /></Target>'
  echo '</Project>'
} >"$work/libraries.proj"

# build_libraries LOG [MSBuild options]: builds every library; returns MSBuild's status.
build_libraries() {
  local log=$1
  shift
  dotnet msbuild "$work/libraries.proj" -restore -nologo -v:q -clp:NoSummary "$@" \
    "-flp:LogFile=$log;Verbosity=minimal" >/dev/null 2>&1
}

normalize() {
  # '#nullable enable' first, then the declarations sorted ordinally without duplicates or blank lines.
  local file=$1
  {
    echo '#nullable enable'
    grep -v -e '^#nullable enable$' -e '^[[:space:]]*$' "$file" | tr -d '\r' | LC_ALL=C sort -u || true
  } >"$work/normalized"
  cp "$work/normalized" "$file"
}

report_errors() {
  grep -E ': error ' "$1" | sed "s|$root/||g" | LC_ALL=C sort -u | head -50 >&2 || true
}

if ! $check_only; then
  for project in "${projects[@]}"; do
    dir=$(dirname "$project")
    shipped="$dir/PublicAPI.Shipped.txt"
    unshipped="$dir/PublicAPI.Unshipped.txt"
    [[ -f "$shipped" ]] || echo '#nullable enable' >"$shipped"
    normalize "$shipped"
    # Start from the deliberate removals only; the build names everything else that is public.
    { echo '#nullable enable'; grep -e '^\*REMOVED\*' "$unshipped" 2>/dev/null || true; } >"$work/unshipped"
    cp "$work/unshipped" "$unshipped"
  done

  echo "update-public-api: building ${#projects[@]} libraries to list their public symbols"
  # RS0016/RS0017 stay warnings for this build so that every library compiles and reports all of its symbols.
  if ! build_libraries "$work/list.log" -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -p:MSBuildTreatWarningsAsErrors=false; then
    report_errors "$work/list.log"
    echo "update-public-api: the libraries do not compile (errors above); fix them first" >&2
    exit 1
  fi
  for project in "${projects[@]}"; do
    dir=$(dirname "$project")
    unshipped="$dir/PublicAPI.Unshipped.txt"
    # "<file>(l,c): warning RS0016: Symbol '<declaration>' is not part of the declared public API (...) [<project>]"
    grep -F "warning RS0016: " "$work/list.log" | grep -F "[$root/$project]" \
      | sed -E "s/^.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*$/\1/" >>"$unshipped" || true
    normalize "$unshipped"
    echo "update-public-api: $dir: $(($(wc -l <"$unshipped") - 1)) unshipped declaration(s)"
  done
fi

echo "update-public-api: checking the baselines with the normal build"
if ! build_libraries "$work/check.log"; then
  report_errors "$work/check.log"
  if grep -qE 'error RS00(16|17)' "$work/check.log"; then
    echo "update-public-api: public API baselines are out of date: run eng/update-public-api.sh (a shipped symbol that was removed needs a '*REMOVED*' line by hand)" >&2
  fi
  exit 1
fi
echo "update-public-api: baselines up to date; the libraries build"
