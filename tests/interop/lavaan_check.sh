#!/bin/sh
# The lavaan export read back through `--model` gives the same effects as the model itself; with
# --with-r, lavaan (R) also parses it and its implied total effects equal `pathways effects`.
# Usage: lavaan_check.sh PATHWAYS WORK_FOLDER [--with-r]   (exit 77 with --with-r where R's lavaan is missing)
set -eu
pathways=$1
work=$2
mkdir -p "$work"
"$pathways" graph --format lavaan -o "$work/dps.lav"
"$pathways" effects --format csv > "$work/effects.csv"
if [ "${3:-}" = "--with-r" ]; then
  command -v Rscript > /dev/null || { echo "skipped: Rscript is not installed (scripts/install-deps.sh installs r-cran-lavaan)"; exit 77; }
  exec Rscript "$(dirname "$0")/lavaan_total_effects.R" "$work/dps.lav" "$work/effects.csv"
fi
"$pathways" effects --model "$work/dps.lav" --format csv > "$work/effects-from-lavaan.csv"
cmp "$work/effects.csv" "$work/effects-from-lavaan.csv"
echo "effects from the lavaan export equal the model's"
