#!/usr/bin/env bash
# Installs what is missing, checks the format (.clang-format), then builds and runs the whole test
# suite twice: a normal build with warnings as errors, and an AddressSanitizer +
# UndefinedBehaviorSanitizer build.
# Usage: scripts/test.sh            (from the repository root or anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --with-browser
jobs=$(nproc)

echo "== format (scripts/check-format.sh) =="
scripts/check-format.sh

# run_suite BUILD_DIR "CTEST_ARGS" CMAKE_ARGS...
run_suite() {
  local dir=$1 ctest_args=$2; shift 2
  cmake -S . -B "$dir" -G Ninja -DPATHWAYS_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  # shellcheck disable=SC2086  # ctest_args holds separate words
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" $ctest_args
}

# Line tables (-g1) instead of full debug information: failures and sanitizer reports still name file
# and line, and each build compiles about a quarter faster, which keeps CI within its time.
echo "== normal build =="
run_suite build "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
echo "== sanitizer build (ASan + UBSan; whole-command tests at README or national scale run in the normal build only) =="
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite build-sanitize "-LE normal-build-only" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
  -DPATHWAYS_SANITIZE=ON
export FUZZ_SECONDS=${FUZZ_SECONDS:-30}
echo "== fuzz targets (clang + libFuzzer, ${FUZZ_SECONDS}s each) =="
scripts/fuzz.sh
