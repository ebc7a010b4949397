#!/bin/sh
# The check of shipped data fails when it should: a copy of scenarios/ passes as it is, and fails once
# one number in it changes while the version stays.
# Usage: shipped_data_fixture.sh SOURCE_ROOT VERSION WORK_FOLDER
set -eu
root=$1
version=$2
work=$3
rm -rf "$work" && mkdir -p "$work/scripts"
cp -r "$root/scenarios" "$work/scenarios"
cp "$root/scripts/shipped-data-digest.sh" "$work/scripts/"
sh "$root/tests/release/check_shipped_data.sh" "$work" "$version"
sed -i 's/"relative_sd": 0.81/"relative_sd": 0.82/' "$work/scenarios/models/dps-personalized-learning.json"
if out=$(sh "$root/tests/release/check_shipped_data.sh" "$work" "$version"); then
  echo "a changed model passed the check"; exit 1
fi
printf '%s\n' "$out" | grep -q "changed since version $version was recorded" || { echo "$out"; exit 1; }
if sh "$root/tests/release/check_shipped_data.sh" "$work" 9.9.9 > /dev/null; then
  echo "an unrecorded version passed the check"; exit 1
fi
echo "the check fails for changed data and for an unrecorded version"
