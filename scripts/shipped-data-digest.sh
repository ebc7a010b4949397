#!/bin/sh
# The SHA-256 of pathways' shipped data: every file under scenarios/ that git tracks (every file there
# outside a git checkout), except the record of versions itself, each as "sha256  path" in path order.
# Usage: shipped-data-digest.sh SOURCE_ROOT
set -eu
cd "$1"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  files=$(git ls-files scenarios)
else
  files=$(find scenarios -type f)
fi
printf '%s\n' "$files" | grep -v '^scenarios/shipped-data-versions.txt$' | LC_ALL=C sort | xargs sha256sum \
  | sha256sum | cut -d' ' -f1
