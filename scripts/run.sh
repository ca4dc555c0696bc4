#!/usr/bin/env bash
# The README's entry points. Each installs what it needs first (scripts/setup.sh skips
# what is already there), so a fresh machine needs nothing else.
#   scripts/run.sh demo    build, then serve the demo with the built-in mock vendors
#   scripts/run.sh test    build, then run every test: native Rust, Node ESM+CJS, workerd, Chromium
#   scripts/run.sh build   build pkg/ only
#   scripts/run.sh bench   build, then run the benchmark
#   scripts/run.sh soak    build, then the memory soak (10^5 calls per path) in Node and workerd
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-}"
case "$cmd" in
  test) bash scripts/setup.sh --browser ;;
  demo | build | bench | soak) bash scripts/setup.sh ;;
  *) echo "usage: scripts/run.sh demo|test|build|bench|soak" >&2; exit 2 ;;
esac
# shellcheck disable=SC1091
source target/toolchain.env
export PATH="$HOME/.cargo/bin:$PATH"

case "$cmd" in
  build) node scripts/build.mjs ;;
  test) bash scripts/test.sh ;;
  demo) node scripts/build.mjs && bash scripts/install-pkg.sh && node www/server.mjs ;;
  bench) node scripts/build.mjs && bash scripts/install-pkg.sh && node bench/run.mjs ;;
  soak) node scripts/build.mjs && bash scripts/install-pkg.sh && node bench/soak/node.mjs && node bench/soak/workerd.mjs && node bench/soak/real.mjs ;;
esac
