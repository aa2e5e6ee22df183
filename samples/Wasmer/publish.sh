#!/usr/bin/env bash
# The one publish command for wasmer: .ci/run runs it, and the Dockerfile runs it in its build stage, so the image
# holds exactly what CI built and tested. Usage: samples/Wasmer/publish.sh OUTPUT_DIRECTORY
set -euo pipefail
out=${1:?usage: samples/Wasmer/publish.sh OUTPUT_DIRECTORY}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$(dirname "$0")/../.."
dotnet publish samples/Wasmer/Wasmer.csproj --configuration Release --output "$out" -p:UseAppHost=false
