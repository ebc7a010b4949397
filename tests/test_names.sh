#!/bin/sh
# ctest splits a Catch test name at ';' (CMake's list separator), so such a test would run as pieces
# that match nothing and pass in no time. Fails when a test executable has a name with ';'.
# Usage: test_names.sh TEST_EXECUTABLE...
status=0
for exe in "$@"; do
  bad=$("$exe" --list-test-names-only | grep ';') || true
  if [ -n "$bad" ]; then
    echo "$exe: test names with ';' (ctest would split them): $bad"
    status=1
  fi
done
exit $status
