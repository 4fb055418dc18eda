#!/usr/bin/env bash
# The main job: builds cw (installing what is missing), then runs the demo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CW_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/scripts/build.sh"
exec /usr/bin/python3 "$ROOT/scripts/demo.py" --build "$BUILD" "$@"
