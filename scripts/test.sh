#!/usr/bin/env bash
# Runs every test suite of gridgov: formatting and lints, the Rust tests (unit, property,
# integration, shared vectors, doctests), the Python package's tests, and the WASM
# package's Node tests. Installs what it needs when missing and skips what is there:
# the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock, Debian's Chromium and
# CJK fonts with playwright-core and TypeScript from npm (wasm/package-lock.json), and a virtual
# environment with maturin, pytest and what the Python tests use (py/requirements-dev.txt:
# pyarrow, pandas, polars, dask distributed, mypy for stubtest).
#
# Usage: bash scripts/test.sh          (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
cargo --version
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$bindgen_version" ]; then
  # Not --locked: the reachable index lacks one locked transitive version (TOOLCHAIN notes).
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi
export PATH="$HOME/.cargo/bin:$PATH"

# A one-off build gains nothing from incremental caches, which would double the disk used.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "rust tests"
cargo test --workspace

step "python package"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23" >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r py/requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./py
(cd py && ../.venv/bin/python -m mypy.stubtest gridgov)
.venv/bin/python -m pytest -q -p no:cacheprovider py/tests

step "wasm package"
bash wasm/build.sh
# The browser test drives Debian's Chromium (with CJK fonts for the Chinese labels)
# through playwright-core; install them when missing.
if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  sudo_cmd=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo -n"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
fi
(cd wasm && npm ci --no-audit --no-fund --loglevel=error)
(cd wasm && npx --no-install tsc --noEmit -p tsconfig.json)
CI="${CI:-}" node --test --test-reporter=spec wasm/tests/

step "all test suites passed"
