#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time (FUZZ_SECONDS, default 60),
# starting from the shipped models and district profiles. A crash, leak or trap fails the script and
# leaves the input as build-fuzz/artifacts/<target>/crash-*; turn it into a regression test.
# Usage: scripts/fuzz.sh            (skips, with a note, when clang is not installed)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; skipping the fuzz targets" >&2
  exit 0
fi
seconds=${FUZZ_SECONDS:-60}
dir=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
targets=(fuzz_json_reader fuzz_model_reader fuzz_district_reader fuzz_ratings_reader fuzz_text_readers)
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"

seed_corpus() {
  local target=$1 corpus=$2
  mkdir -p "$corpus"
  case $target in
    fuzz_json_reader|fuzz_model_reader) cp scenarios/models/*.json "$corpus"/ ;;
    fuzz_district_reader)
      # Profile, NUL, schools CSV: the split the target expects.
      for profile in scenarios/districts/*.json; do
        csv=$(ls scenarios/districts/*.csv 2>/dev/null | head -n 1)
        { cat "$profile"; printf '\0'; [[ -n $csv ]] && head -c 20000 "$csv"; } > "$corpus/$(basename "$profile")"
      done ;;
    fuzz_text_readers)
      # The first byte picks the reader (0 observed, 1 parameters, 2 lavaan, 3 DAGitty, 4 anchors).
      { printf '\x00'; cat scenarios/observed/denver-pilot-2017-2019-synthetic.csv; } > "$corpus/observed"
      { printf '\x01'; printf '{"pathways_parameters": 1, "model": "linear", "parameters": {"scale": 1.0}}\n'; } \
        > "$corpus/parameters"
      { printf '\x02'; printf 'agency.ownership ~ 0.05*learner_paths.learner_profile_data\n'; } > "$corpus/lavaan"
      { printf '\x03'; printf 'dag {\n a [exposure]\n y [outcome]\n {a b} -> y [beta="0.1"]\n}\n'; } > "$corpus/dagitty"
      { printf '\x04'; cat scenarios/anchors.json; } > "$corpus/anchors"
      ;;
  esac
}

for target in "${targets[@]}"; do
  corpus="$dir/corpus/$target"
  artifacts="$dir/artifacts/$target/"
  seed_corpus "$target" "$corpus"
  mkdir -p "$artifacts"
  echo "== $target: ${seconds}s =="
  # A fixed seed makes a CI run repeat the exploration a developer ran before submitting.
  "$dir/bin/$target" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" 2>&1 | tail -n 12
done
