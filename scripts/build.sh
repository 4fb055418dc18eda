#!/usr/bin/env bash
# Installs missing packages, configures and builds cw into ${CW_BUILD_DIR:-build}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CW_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DPython3_EXECUTABLE=/usr/bin/python3
fi
cmake --build "$BUILD" -- -j"$(nproc)"
cmake --build "$BUILD" --target cw-test-depends -- -j"$(nproc)"
