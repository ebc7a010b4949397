#!/usr/bin/env bash
# Installs pathways into a scratch prefix, builds the example plugin against it with
# find_package(pathways), and checks that the installed CLI lists the shipped models and loads
# and runs the out-of-tree one. The plugin is built as a Debug build whatever the host's build type
# (a plugin author's first build), since the build fingerprint must not depend on NDEBUG.
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/tests/package/example_plugin" -B "$work/plugin-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$work/plugin-build" >/dev/null

listing=$("$work/prefix/bin/pathways" plugins)
for model in linear saturating lagged subgroup evidence; do
  grep -q "^$model " <<<"$listing" || { echo "installed CLI does not list $model"; exit 1; }
done
listing=$("$work/prefix/bin/pathways" plugins --plugin-dir "$work/plugin-build")
grep -q "^damped " <<<"$listing" || { echo "out-of-tree plugin not listed:"; echo "$listing"; exit 1; }
"$work/prefix/bin/pathways" describe damped --plugin-dir "$work/plugin-build" | grep -q "damping"
"$work/prefix/bin/pathways" run "$source_dir/scenarios/rand-2017-check.json" --plugin-dir "$work/plugin-build" \
  --effect-model damped --set damping=0.25 --draws 0 --quiet --out "$work/out" >/dev/null
grep -q ",damped,2017,all,academic.achievement.math,effect," "$work/out/projection.csv"
# The out-of-tree model keeps the SDK's contract (tile and block sizes, independent cells, at rest, ...).
"$work/prefix/bin/pathways" check-plugin "$work/plugin-build/libpathways_damped.so" >"$work/check.txt" ||
  { echo "check-plugin failed the out-of-tree plugin:"; cat "$work/check.txt"; exit 1; }
echo "package test passed"
