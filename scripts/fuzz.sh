#!/usr/bin/env bash
# Coverage-guided fuzzing of the core (cargo fuzz, libFuzzer), five targets:
#   signatures  every webhook scheme's headers and payload, signed URLs; base64, hex, HMAC
#               and SHA-256 against the crates they replaced
#   responses   every vendor response parser
#   inbound     Miles Masterclass callbacks, LearnWorlds webhooks and custom-SSO redirects, JWTs
#   builders    every request builder and static helper, given arbitrary JSON
#   wire        the lean signing boundary's calls in any order, any input, lengths and handles
# Seeds live in fuzz/seeds/<target>; the growing corpus in fuzz/corpus/<target> (ignored).
#
#   scripts/fuzz.sh smoke          20,000 runs per target (part of npm test)
#   scripts/fuzz.sh long [RUNS]    RUNS per target (default 10^7; 4-12 min each here)
#   scripts/fuzz.sh run TARGET [libFuzzer args…]
# Runs on rustup's stable toolchain with RUSTC_BOOTSTRAP=1 (cargo fuzz needs nightly flags).
# Sanitizer: FUZZ_SANITIZER (default "none"). What is fuzzed has no `unsafe` (the crate denies
# it but for the wasm exports' names, not built here), so AddressSanitizer has nothing of ours
# to check and makes every run 6-7x slower; set FUZZ_SANITIZER=address
# to fuzz the dependencies' unsafe code too.
# A crash stops the run and leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
TARGETS=(signatures responses inbound builders wire)
SANITIZER="${FUZZ_SANITIZER:-none}"

run() {
  local target=$1
  shift
  mkdir -p "fuzz/corpus/$target"
  cargo fuzz run --sanitizer "$SANITIZER" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- "$@"
}

case "${1:-}" in
  smoke | long)
    runs=20000
    [ "$1" = long ] && runs="${2:-10000000}"
    cargo fuzz build --sanitizer "$SANITIZER" 2>&1 | grep -v '^ *Compiling' || true
    for t in "${TARGETS[@]}"; do
      line=$(run "$t" -runs="$runs" 2>&1 | grep -E '^Done [0-9]+ runs' || true)
      [ -n "$line" ] || { echo "fuzz $t: failed (see fuzz/artifacts/$t)"; run "$t" -runs=1 2>&1 | tail -20; exit 1; }
      echo "fuzz $t: $line"
    done
    ;;
  run) shift; run "$@" ;;
  *) echo "usage: scripts/fuzz.sh smoke | long [RUNS] | run TARGET [args]" >&2; exit 2 ;;
esac
