#!/usr/bin/env bash
# Per-rank rate and parallel efficiency of `pathways run` on 1..MAX_RANKS MPI ranks (a benchmark, not a test).
# Usage: scripts/mpi-scaling.sh [SCENARIO] [DRAWS] [MAX_RANKS] [THREADS_PER_RANK] [REPEATS]
#   defaults: scenarios/denver-scale-up.json 400 2 1 3
# Each rank count runs REPEATS times and keeps the fastest (the least disturbed by other work on the
# machine). Time is the run's own (the manifest's "seconds": its draws and the gather on rank 0, without
# MPI's start-up); efficiency = time on 1 rank / (ranks × time on N ranks).
set -euo pipefail
scenario=${1:-scenarios/denver-scale-up.json} draws=${2:-400} max_ranks=${3:-2} threads=${4:-1} repeats=${5:-3}
pathways=${PATHWAYS:-build/bin/pathways}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Open MPI refuses root unless told it is meant (CI, containers).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "$scenario, $draws draws, $threads thread(s) per rank, best of $repeats; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%6s %10s %10s %16s %11s\n' ranks seconds draws/s "draws/s a rank" efficiency
one=""
for ((ranks = 1; ranks <= max_ranks; ranks++)); do
  best=""
  for ((r = 0; r < repeats; r++)); do
    mpirun --oversubscribe -np "$ranks" "$pathways" run "$scenario" --draws "$draws" --threads "$threads" \
      --out "$work/out" --force --quiet >/dev/null
    seconds=$(sed -nE 's/.*"seconds": ([-+.0-9eE]+).*/\1/p' "$work/out/manifest.json" | head -1)
    best=$(awk -v a="$best" -v b="$seconds" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  [[ -z $one ]] && one=$best
  awk -v n="$ranks" -v s="$best" -v d="$draws" -v one="$one" \
    'BEGIN { printf "%6d %10.2f %10.1f %16.1f %10.0f%%\n", n, s, d / s, d / s / n, 100 * one / (n * s) }'
done
