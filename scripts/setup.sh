#!/usr/bin/env bash
# Installs what building and testing lms-bridge needs, skipping what is already there.
# Usage: scripts/setup.sh [--browser]     (--browser: also Chromium, for the browser tests)
# Writes target/toolchain.env, which scripts/run.sh sources before building.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup] %s\n' "$*"; }

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1
apt_packages=()

# 0. Disk: a cold build and test run writes about 3 GiB under target/. Said up front, since
#    a full disk otherwise shows up later as a compiler's "No space left on device".
free_kib=$(df -Pk . 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
if [ -n "$free_kib" ] && [ "$free_kib" -lt $((4 * 1024 * 1024)) ]; then
  say "warning: only $((free_kib / 1024)) MiB free here; a cold run needs about 3 GiB under target/"
fi

# 1. Rust → wasm32. Where rustup has the target, plain cargo works. Elsewhere (no
#    `rustup target add` on these machines) use Debian's rustc-web with its std sources
#    and LLD's wasm-ld, building std with -Zbuild-std (see shared/TOOLCHAIN.md).
mkdir -p target
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Rust: rustup has wasm32-unknown-unknown; using plain cargo"
  : > target/toolchain.env
else
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] || apt_packages+=(rustc-web cargo-web)
  [ -d /usr/lib/rustlib/src/rust/library ] || apt_packages+=(rust-web-src)
  [ -x /usr/lib/llvm-22/bin/wasm-ld ] || apt_packages+=(lld-22)
  [ -x /usr/bin/clippy-driver ] || apt_packages+=(rust-web-clippy)
  say "Rust: no rustup wasm32 target; using Debian's rustc-web with -Zbuild-std"
  # Only the wasm commands use these (scripts/build.mjs, scripts/test.sh); native cargo
  # keeps rustup's toolchain.
  cat > target/toolchain.env <<'ENV'
export LMSB_BUILD_STD=1 LMSB_CARGO=/usr/bin/cargo LMSB_RUSTC=/usr/bin/rustc LMSB_RUSTDOC=/usr/bin/rustdoc
export LMSB_WASM_LD=/usr/lib/llvm-22/bin/wasm-ld
ENV
fi
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then apt_packages+=(chromium); fi

if [ ${#apt_packages[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_packages[*]} (a few minutes, once)"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_packages[@]}" >/dev/null
else
  say "Debian packages: all present"
fi

# 2. wasm-bindgen CLI at exactly the version Cargo.lock pins (its own lockfile pins a
#    crate absent from the registry mirror here, so it is installed without --locked).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ]; then
  say "wasm-bindgen CLI $want: present"
else
  say "installing wasm-bindgen CLI $want (about 2 minutes, once)"
  cargo install -q wasm-bindgen-cli --version "$want"
fi

# 2b. cargo-fuzz for the fuzz smoke run of the tests (scripts/fuzz.sh), at a pinned version.
CARGO_FUZZ_VERSION=0.13.2
if [ "$want_browser" = 1 ]; then
  if cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION: present"
  else
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 1 minute, once)"
    cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
fi

# 3. npm dev dependencies (build tools, test hosts, linters, benchmark peers).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "npm dev dependencies: present"
fi
