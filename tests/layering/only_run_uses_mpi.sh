#!/bin/sh
# Usage: only_run_uses_mpi.sh SOURCE_ROOT
# Boost.MPI (and MPI itself) is the run layer's third-party library: no source outside core/run includes it.
root=$1
found=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](boost/mpi|mpi\.h)' "$root/core" "$root/cli" "$root/plugins" |
  grep -v "^$root/core/run/")
if [ -n "$found" ]; then
  echo "MPI included outside core/run:"
  echo "$found"
  exit 1
fi
grep -rlqE '#[[:space:]]*include[[:space:]]*<boost/mpi' "$root/core/run" || { echo "core/run includes no Boost.MPI"; exit 1; }
