#!/usr/bin/env bash
# Builds the npm package: the wasm32 library, then wasm-bindgen's web output (wasm/pkg-web)
# and Node output (wasm/pkg-node), each optimised by binaryen's wasm-opt (as wasm-pack
# does). Installs the wasm32 target, wasm-bindgen-cli at the exact version in Cargo.lock
# and the npm dev dependencies (binaryen, pinned in wasm/package-lock.json) when missing.
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
# Both targets get the same module; optimise it once, for size (-Oz), as the crates are
# compiled (the wasm-release profile in Cargo.toml says which at which level), inlining
# functions of up to 12 instructions (`-aimfs 12`; binaryen's default is 2): the core is
# compiled for size, which leaves small helpers of the batch path (a vector's push, a
# column's accessors) as calls; inlining them gave back about 7% of routeArrow's time
# for 104 KB (2,888,646 -> 2,992,637 bytes, before arrow-ipc went to "z"). Most of the
# module is the code of the core, its JSON readers, and Arrow's arrays and IPC reader and
# writer.
if [ ! -x wasm/node_modules/.bin/wasm-opt ]; then
  (cd wasm && npm ci --no-audit --no-fund --loglevel=error)
fi
wasm/node_modules/.bin/wasm-opt -Oz -aimfs 12 --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals \
  wasm/pkg-web/gridgov_bg.wasm -o wasm/pkg-web/gridgov_bg.opt.wasm
mv wasm/pkg-web/gridgov_bg.opt.wasm wasm/pkg-web/gridgov_bg.wasm
cp wasm/pkg-web/gridgov_bg.wasm wasm/pkg-node/gridgov_bg.wasm
echo "built wasm/pkg-node and wasm/pkg-web ($(wc -c < wasm/pkg-web/gridgov_bg.wasm) bytes)"
