#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to find. Run through scripts/run.sh test,
# which installs the toolchain first.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
wasm_cargo() {
  # Debian's toolchain when rustup has no wasm32 target (see scripts/setup.sh).
  if [ -n "${LMSB_BUILD_STD:-}" ]; then
    PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 RUSTC="$LMSB_RUSTC" RUSTDOC="$LMSB_RUSTDOC" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$LMSB_WASM_LD" CARGO_TARGET_DIR=target/clippy-wasm \
      "$LMSB_CARGO" "$1" -Zbuild-std=std,panic_abort "${@:2}"
  else
    CARGO_TARGET_DIR=target/clippy-wasm cargo "$@"
  fi
}

step "Rust: format, lint (native and wasm32), native tests"
cargo fmt --check
cargo clippy --all-targets -q -- -D warnings
wasm_cargo clippy -q --target wasm32-unknown-unknown -- -D warnings
wasm_cargo clippy -q --target wasm32-unknown-unknown --no-default-features --features signing-exports -- -D warnings
wasm_cargo clippy -q --target wasm32-unknown-unknown --no-default-features --features handoff-exports -- -D warnings
cargo clippy --no-default-features -q -- -D warnings
# Doc comments: every intra-doc link resolves, none points at a private item.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q
cargo test -q 2>&1 | grep -v '^$'

step "Fuzz smoke: 20,000 runs of each cargo-fuzz target (the long run: scripts/fuzz.sh long)"
(cd fuzz && cargo fmt --check && cargo clippy -q --all-targets -- -D warnings)
bash scripts/fuzz.sh smoke

step "JS lint (ESLint)"
# (not `eslint && echo`: under `set -e` a failing left side of `&&` does not stop the script)
node_modules/.bin/eslint .
echo "eslint: clean"

step "Build pkg/"
node scripts/build.mjs

step "Pack and install; publint, attw, tsc"
bash scripts/install-pkg.sh
tarball=$(ls target/pack/*.tgz)
node_modules/.bin/publint run --strict "$tarball"
node_modules/.bin/attw "$tarball" --exclude-entrypoints ./lms_bridge_bg.wasm ./lms_bridge_webhooks_bg.wasm ./lms_bridge_handoff_bg.wasm ./testing --format table-flipped
node_modules/.bin/tsc -p tests/types --noEmit
echo "tsc: the package's types check"

step "JS: Node (ESM, CommonJS), workerd, Chromium"
mkdir -p tests/artifacts
node --test --test-reporter=tap tests/js/*.test.mjs tests/js/*.test.cjs
