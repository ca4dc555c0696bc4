#!/usr/bin/env bash
# Packs pkg/ exactly as npm would publish it and installs that tarball as
# node_modules/lms-bridge, so tests import the package by name, as users do.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/pack
rm -f target/pack/*.tgz
tarball=$(cd target/pack && npm pack ../../pkg --silent 2>/dev/null | tail -n 1)
rm -rf node_modules/lms-bridge
mkdir -p node_modules/lms-bridge
tar -xzf "target/pack/$tarball" -C node_modules/lms-bridge --strip-components=1
echo "[install] target/pack/$tarball → node_modules/lms-bridge ($(wc -c < "target/pack/$tarball") bytes gzip)"
