#!/bin/sh
# Shipped data carry the version of pathways: a change to any file under scenarios/ (models, anchors,
# references, district profiles, example scenarios and observed data, schemas) changes the numbers a
# user gets, so it must come with a new version, and each version's data are recorded once.
#
# Usage: check_shipped_data.sh SOURCE_ROOT VERSION   (VERSION: the project's, from CMakeLists.txt)
# Passes when scenarios/shipped-data-versions.txt records VERSION with the digest of today's files.
# scripts/record-shipped-data.sh records a new version and refuses to change a recorded one.
set -eu
root=$1
version=$2
record="$root/scenarios/shipped-data-versions.txt"
digest=$(sh "$root/scripts/shipped-data-digest.sh" "$root")
recorded=$(awk -v v="$version" '$1 == v { print $2 }' "$record")
if [ -z "$recorded" ]; then
  echo "$record: error: version $version is not recorded; expected a line '$version $digest'"
  echo "  (after a version bump, run scripts/record-shipped-data.sh)"
  exit 1
fi
if [ "$recorded" != "$digest" ]; then
  echo "$record: error: the shipped data under scenarios/ changed since version $version was recorded"
  echo "  (digest $recorded, now $digest); expected a new version: bump project(VERSION) in CMakeLists.txt,"
  echo "  say what changed in CHANGELOG.md, and run scripts/record-shipped-data.sh"
  exit 1
fi
echo "shipped data are those of version $version"
