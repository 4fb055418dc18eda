#!/usr/bin/env bash
# Installs every Debian 12 package that cw's build, tests and demo need.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # toolchain and build
  cmake ninja-build pkg-config git
  clang-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libclang-rt-22-dev  # ASan/UBSan runtimes for the sanitized codec tests
  libomp-22-dev       # OpenMP runtime for multi-threaded kernels
  # codecs, tests, benchmarks
  zlib1g-dev libzstd-dev libgtest-dev libbenchmark-dev libopenblas-dev libeigen3-dev
  # ONNX import and conformance data
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  python3 python3-onnx python3-numpy
  # the demo's data set
  dataset-fashion-mnist
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "cw: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi

echo "cw: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
