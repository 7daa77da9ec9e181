#!/usr/bin/env bash
# Runs every fuzz target of gridgov for a bounded time each, with cargo-fuzz (libFuzzer).
#
# Usage: bash fuzz/run.sh SECONDS [TARGET...]     (default: all ten targets)
#
# Needs a nightly toolchain (cargo-fuzz builds with sanitizer flags only nightly takes):
# without one it says so and exits cleanly. Installs cargo-fuzz when missing. Each target
# starts from its saved inputs in fuzz/regressions/<target>/ plus what earlier runs found
# (fuzz/corpus/<target>/, not committed). A crash is saved by libFuzzer under
# fuzz/artifacts/<target>/: copy it into fuzz/regressions/<target>/ and fix the code; the
# stable test tests/tests/fuzz_regressions.rs then replays it in CI.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:?usage: bash fuzz/run.sh SECONDS [TARGET...]}"
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(org_spec rule_set calendar case ledger_events csv_table open311_form open311_document locate arrow_ipc)
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: no nightly toolchain here (cargo-fuzz needs one: rustup toolchain install nightly); nothing run."
  exit 0
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp -n regressions/"$t"/* "corpus/$t/" 2>/dev/null || true
  echo "==> $t for ${seconds}s"
  if ! cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 2>&1 | tee "run-$t.log" | grep -E "^#[0-9]+ +DONE|^Done|SUMMARY|ERROR|crash-|timeout-|oom-" ; then
    :
  fi
  if grep -qE "^==[0-9]+== ERROR|SUMMARY: libFuzzer|panicked at" "run-$t.log"; then
    echo "!! $t found a problem: see fuzz/run-$t.log and fuzz/artifacts/$t/"
    status=1
  fi
  grep -E "^Done [0-9]+ runs" "run-$t.log" | tail -1 | sed "s/^/   $t: /" || true
done
exit "$status"
