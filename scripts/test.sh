#!/usr/bin/env bash
# The whole test suite: builds (installing what is missing), then runs the lit
# suite and every gtest binary. Exits non-zero if anything fails.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CW_BUILD_DIR:-$ROOT/build}"
LLVM_BIN=/usr/lib/llvm-22/bin

bash "$ROOT/scripts/build.sh" || { echo "cw: build failed"; exit 1; }

passed=0
failed=0
status=0

echo "== lit suite"
lit_log="$BUILD/lit.log"
"$LLVM_BIN/lit" -sv "$BUILD/test" 2>&1 | tee "$lit_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(grep -Eo '^ *Passed *: *[0-9]+' "$lit_log" | grep -Eo '[0-9]+$' || echo 0)
f=$(grep -Eo '^ *Failed *: *[0-9]+' "$lit_log" | grep -Eo '[0-9]+$' || echo 0)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

for t in "$BUILD"/unittests/*; do
  [ -x "$t" ] && [ -f "$t" ] || continue
  echo "== $(basename "$t")"
  log="$BUILD/$(basename "$t").log"
  "$t" --gtest_brief=1 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo '\[  FAILED  \] [0-9]+ test' "$log" | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "$passed passed, $failed failed"
exit "$status"
