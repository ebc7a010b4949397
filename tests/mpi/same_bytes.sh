#!/usr/bin/env bash
# Usage: same_bytes.sh PATHWAYS WORKDIR MANIFEST ARGS...
# Runs `PATHWAYS ARGS... --threads 2 --out out` as one plain process and on 1, 2 and 3 MPI ranks (the same
# threads per rank, which the manifest records, as the default differs under MPI), each in its own
# folder under WORKDIR (so the command lines, which the manifest records, are the same), and checks that
# every output file has the same bytes as the plain run's; MANIFEST (the manifest's file name) may differ
# only in its ranks and timings, and records the number of ranks.
set -euo pipefail
. "$(dirname "$0")/mpi_env.sh"
pathways=$1 workdir=$2 manifest=$3
shift 3
rm -rf "$workdir"
mkdir -p "$workdir"/plain "$workdir"/np1 "$workdir"/np2 "$workdir"/np3
(cd "$workdir/plain" && "$pathways" "$@" --threads 2 --out out --quiet >stdout)
grep -q '"ranks": 1' "$workdir/plain/out/$manifest" || { echo "plain run: no \"ranks\": 1 in $manifest"; exit 1; }
for ranks in 1 2 3; do
  (cd "$workdir/np$ranks" && launch "$ranks" "$pathways" "$@" --threads 2 --out out --quiet >stdout)
  out="$workdir/np$ranks/out"
  grep -q "\"ranks\": $ranks" "$out/$manifest" || { echo "$ranks ranks: no \"ranks\": $ranks in $manifest"; exit 1; }
  diff <(cd "$workdir/plain/out" && ls) <(cd "$out" && ls) || { echo "$ranks ranks: other files"; exit 1; }
  for file in "$workdir"/plain/out/*; do
    name=$(basename "$file")
    if [[ "$name" == "$manifest" ]]; then
      diff <(normalized_manifest "$file") <(normalized_manifest "$out/$name") ||
        { echo "$ranks ranks: $name differs beyond ranks and timings"; exit 1; }
    elif [[ -d "$file" ]]; then  # the inputs the run kept
      diff -r "$file" "$out/$name" || { echo "$ranks ranks: $name/ differs"; exit 1; }
    else
      cmp "$file" "$out/$name" || { echo "$ranks ranks: $name differs"; exit 1; }
    fi
  done
  # The terminal output too (rank 0 alone prints it), but for the timing of the runs.
  diff <(sed -E 's/[0-9.]+ s\b/T s/g' "$workdir/plain/stdout") <(sed -E 's/[0-9.]+ s\b/T s/g' "$workdir/np$ranks/stdout") ||
    { echo "$ranks ranks: the terminal output differs"; exit 1; }
  echo "$ranks ranks: same bytes as one process"
done
