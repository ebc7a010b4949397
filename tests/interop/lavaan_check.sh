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

# The export drives a projection, named on the command line (--model) or by a scenario's "model": the
# same projection as the model itself, bit for bit.
scenarios=$(cd "$(dirname "$0")/../../scenarios" && pwd)
"$pathways" run "$scenarios/rand-2017-check.json" --draws 20 --quiet --force --format csv --out "$work/run-json"
"$pathways" run "$scenarios/rand-2017-check.json" --draws 20 --quiet --force --format csv --out "$work/run-lav" \
  --model "$work/dps.lav"
rm -rf "$work/scenario" && mkdir -p "$work/scenario" && cp -r "$scenarios/districts" "$work/scenario/"
cp "$work/dps.lav" "$work/scenario/dps.lav"
sed 's|"model": *"dps-personalized-learning"|"model": "dps.lav"|' "$scenarios/rand-2017-check.json" \
  > "$work/scenario/rand-2017-check.json"
grep -q '"model": "dps.lav"' "$work/scenario/rand-2017-check.json"
"$pathways" run "$work/scenario/rand-2017-check.json" --draws 20 --quiet --force --format csv --out "$work/run-scenario-lav"
cmp "$work/run-json/projection.csv" "$work/run-lav/projection.csv"
cmp "$work/run-json/projection.csv" "$work/run-scenario-lav/projection.csv"
echo "projections from the lavaan export equal the model's"

# The effect model's old flag is an error that names the new one, on every command that projects.
s="$scenarios/rand-2017-check.json"
rm -rf "$work/empty" && mkdir -p "$work/empty" && cd "$work/empty"  # no earlier output folder in the way
for command in "run $s" "compare $s $s" "compare-models $s --models linear" "sweep $s --grid /uncertainty/seed=1" \
    "sensitivity $s --outcome academic.achievement.math --subgroup all" "monitor $s --observed x.csv" "calibrate $s --anchors all" \
    "plan-next $s --schools 1" "value-of-information $s"; do
  # shellcheck disable=SC2086 # the command's words
  if "$pathways" $command --model linear > "$work/old-flag.txt" 2>&1; then
    echo "$command --model linear was accepted"; exit 1
  fi
  grep -q "the effect model is now --effect-model, e.g. --effect-model linear" "$work/old-flag.txt" \
    || { echo "$command --model linear:"; cat "$work/old-flag.txt"; exit 1; }
done
echo "--model linear names --effect-model on every projecting command"
