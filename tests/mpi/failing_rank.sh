#!/usr/bin/env bash
# Usage: failing_rank.sh PATHWAYS WORKDIR PLUGIN_DIR SCENARIO FAILURE RANKS EXPECTED_MESSAGE [RUN_OPTION...]
# Runs `pathways run SCENARIO --effect-model fixture_throws_on_rank` on RANKS ranks with the fixture failing
# on rank 1 as FAILURE says (evaluate, register, kill; tests/fixtures/plugins/throws_on_rank), or with
# FAILURE input, rank 1 alone given a scenario file that does not exist, or FAILURE seed, rank 1 alone given
# another --seed (mpirun's MPMD form: one command line per rank), and checks the run fails (non-zero exit), prints EXPECTED_MESSAGE (an extended regex) on
# stderr, and writes nothing. RUN_OPTIONs go on every rank's command line. ctest's timeout catches a hang.
set -uo pipefail
. "$(dirname "$0")/mpi_env.sh"
pathways=$1 workdir=$2 plugins=$3 scenario=$4 failure=$5 ranks=$6 expected=$7
shift 7
run_options=("$@")
rm -rf "$workdir"
mkdir -p "$workdir"
export PATHWAYS_FIXTURE_FAILURE=$failure PATHWAYS_FIXTURE_FAILING_RANK=1
run_on() {  # run_on N SCENARIO: the run's command for N ranks, as an mpirun application context
  echo -np "$1" "$pathways" run "$2" --effect-model fixture_throws_on_rank --plugin-dir "$plugins" --draws 6 \
    --out "$workdir/out" --quiet "${run_options[@]}"
}
if [[ $failure == input ]]; then
  contexts=($(run_on 1 "$scenario") : $(run_on 1 "$workdir/missing.json"))
  if [[ $ranks -gt 2 ]]; then contexts+=(: $(run_on $((ranks - 2)) "$scenario")); fi
elif [[ $failure == seed ]]; then
  contexts=($(run_on 1 "$scenario") : $(run_on 1 "$scenario") --seed 99)
  if [[ $ranks -gt 2 ]]; then contexts+=(: $(run_on $((ranks - 2)) "$scenario")); fi
else
  contexts=($(run_on "$ranks" "$scenario"))
fi
mpirun --oversubscribe "${contexts[@]}" >"$workdir/stdout" 2>"$workdir/stderr"
code=$?
cat "$workdir/stderr"
if [[ $code -eq 0 ]]; then echo "FAIL: exit 0 although rank 1 failed"; exit 1; fi
if [[ ($failure == input || $failure == seed) && $code -ne 2 ]]; then echo "FAIL: exit $code for an input error; expected 2"; exit 1; fi
if [[ -e "$workdir/out" ]]; then echo "FAIL: $workdir/out was written"; exit 1; fi
if ! grep -Eq -e "$expected" "$workdir/stderr"; then echo "FAIL: stderr does not match: $expected"; exit 1; fi
# A rank that fails on its own (not killed) is named once, by rank 0.
if [[ $failure != kill && $(grep -Ec "^pathways: error: rank 1 of $ranks failed" "$workdir/stderr") -ne 1 ]]; then
  echo "FAIL: rank 0 did not name rank 1 once"
  exit 1
fi
if [[ -s "$workdir/stdout" ]]; then echo "FAIL: something on stdout:"; cat "$workdir/stdout"; exit 1; fi
echo "exit $code, nothing written"
