#!/usr/bin/env bash
# Usage: split_schools.sh PATHWAYS WORKDIR SCENARIO
# `run --split schools` with 16 schools a block (Denver's 207 schools make 13 blocks): one plain process
# splitting nothing, then 1, 2 and 3 ranks each holding only its blocks' cells. Every output but the
# manifest has the same bytes as the plain run's, the manifest counts every rank's cells and students, and
# more ranks than blocks is an input error (exit 2, nothing written).
set -euo pipefail
. "$(dirname "$0")/mpi_env.sh"
pathways=$1 workdir=$2 scenario=$3
rm -rf "$workdir"
mkdir -p "$workdir"
run_args=(run "$scenario" --draws 7 --schools-per-block 16 --threads 2 --quiet)
"$pathways" "${run_args[@]}" --out "$workdir/plain" >/dev/null
population() { grep -E '"(cells|students)":' "$1/manifest.json"; }
for ranks in 1 2 3; do
  out="$workdir/np$ranks"
  launch "$ranks" "$pathways" "${run_args[@]}" --split schools --out "$out" >/dev/null
  for name in projection.csv projection.json; do
    cmp "$workdir/plain/$name" "$out/$name" || { echo "$ranks ranks: $name differs"; exit 1; }
  done
  diff <(population "$workdir/plain") <(population "$out") || { echo "$ranks ranks: other population"; exit 1; }
  echo "$ranks ranks holding their school blocks: same bytes as one process"
done
set +e
launch 2 "$pathways" run "$scenario" --draws 7 --split schools --quiet --out "$workdir/too-many" \
  >"$workdir/stdout" 2>"$workdir/stderr"
code=$?
set -e
cat "$workdir/stderr"
[[ $code -eq 2 ]] || { echo "FAIL: exit $code for 2 ranks on 1 block; expected 2"; exit 1; }
grep -q "expected at most one rank a block with --split schools" "$workdir/stderr" ||
  { echo "FAIL: no message about the blocks"; exit 1; }
[[ ! -e "$workdir/too-many" ]] || { echo "FAIL: $workdir/too-many was written"; exit 1; }
echo "2 ranks for 1 block: exit 2, nothing written"
