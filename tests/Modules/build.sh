#!/usr/bin/env bash
# Rebuilds the test modules from their WebAssembly text sources (needs wat2wasm: apt-get install wabt).
# The built .wasm files are committed so the tests need no wabt at run time; a test checks they match their sources.
set -euo pipefail
cd "$(dirname "$0")"
for source in *.wat; do
  wat2wasm --debug-names "$source" -o "${source%.wat}.wasm"
  wasm-validate "${source%.wat}.wasm"
  echo "${source%.wat}.wasm $(stat -c %s "${source%.wat}.wasm") bytes sha256 $(sha256sum "${source%.wat}.wasm" | cut -d' ' -f1)"
done
