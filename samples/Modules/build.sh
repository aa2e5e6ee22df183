#!/usr/bin/env bash
# Rebuilds the sample modules from their WebAssembly text sources (needs wat2wasm: apt-get install wabt).
set -euo pipefail
cd "$(dirname "$0")"
for source in *.wat; do
  wat2wasm "$source" -o "${source%.wat}.wasm"
  wasm-validate "${source%.wat}.wasm"
  echo "${source%.wat}.wasm $(sha256sum "${source%.wat}.wasm" | cut -d' ' -f1)"
done
