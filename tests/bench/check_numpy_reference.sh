#!/usr/bin/env bash
# Exports a scenario's linear-model case with pathways_bench and has numpy_reference.py recompute the
# engine's central-run subgroup means from it (within 1e-9). Exit 77 (skipped) without numpy.
# Usage: check_numpy_reference.sh PATHWAYS_BENCH SCENARIO WORK_DIR
set -euo pipefail
bench="$1" scenario="$2" work="$3"
script="$(dirname "$0")/numpy_reference.py"

python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import numpy' >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [[ -z "$python" ]]; then
  echo "SKIPPED: no python3 with numpy (Debian: apt-get install python3-numpy)"
  exit 77
fi

rm -rf "$work"
"$bench" --export "$work" "$scenario"
"$python" "$script" "$work" --check
