#!/bin/sh
# The SHA-256 of pathways' shipped data: every file under scenarios/ that git tracks (every file there
# when SOURCE_ROOT is not the root of a git checkout), except the record of versions itself, each as "sha256  path" in path order.
# Usage: shipped-data-digest.sh SOURCE_ROOT
set -eu
cd "$1"
if [ -e .git ]; then
  files=$(git ls-files scenarios)
else
  files=$(find scenarios -type f)
fi
printf '%s\n' "$files" | grep -v '^scenarios/shipped-data-versions.txt$' | LC_ALL=C sort | xargs sha256sum \
  | sha256sum | cut -d' ' -f1
