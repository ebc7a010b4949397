#!/bin/sh
# Records the shipped data of the project's version in scenarios/shipped-data-versions.txt, which the
# test "release: shipped data carry the version" checks. A version already recorded with other data is
# refused: shipped data that change need a new version.
# Usage: scripts/record-shipped-data.sh   (from the repository root)
set -eu
version=$(sed -n 's/^project(pathways VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
digest=$(sh scripts/shipped-data-digest.sh .)
record=scenarios/shipped-data-versions.txt
recorded=$(awk -v v="$version" '$1 == v { print $2 }' "$record")
if [ "$recorded" = "$digest" ]; then echo "version $version already recorded"; exit 0; fi
if [ -n "$recorded" ]; then
  echo "$record: error: version $version is recorded with other data; expected a new version in CMakeLists.txt"
  exit 1
fi
echo "$version $digest" >> "$record"
echo "recorded version $version: $digest"
