#!/usr/bin/env bash
# Builds the npm package: the wasm32 library, then wasm-bindgen's web output (wasm/pkg-web)
# and Node output (wasm/pkg-node). Installs the wasm32 target and wasm-bindgen-cli at the
# exact version in Cargo.lock when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$version" ]; then
  cargo install wasm-bindgen-cli --version "$version"
fi
cargo build --profile wasm-release --target wasm32-unknown-unknown -p gridgov-wasm
wasm=target/wasm32-unknown-unknown/wasm-release/gridgov_wasm.wasm
wasm-bindgen --target nodejs --out-dir wasm/pkg-node --out-name gridgov "$wasm"
wasm-bindgen --target web --out-dir wasm/pkg-web --out-name gridgov "$wasm"
echo "built wasm/pkg-node and wasm/pkg-web ($(du -h wasm/pkg-web/gridgov_bg.wasm | cut -f1))"
