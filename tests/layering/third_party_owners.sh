#!/bin/sh
# Usage: third_party_owners.sh SOURCE_ROOT
# Each third-party library belongs to one subsystem: no source of core/, cli/ or plugins/ outside its
# owner includes it, and the owner does (so a renamed header cannot make the check pass vacuously).
# The include scopes of core/CMakeLists.txt cannot hide a system header, so a search checks it.
root=$1
failed=0
# check OWNER PATTERN: PATTERN is an extended regex for what follows `#include <` or `#include "`.
check() {
  owner=$1 pattern=$2
  found=$(grep -rlE "#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/core" "$root/cli" "$root/plugins" |
    grep -v "^$root/$owner/")
  if [ -n "$found" ]; then
    echo "$pattern is $owner's library, but is included by:"
    echo "$found"
    failed=1
  fi
  if ! grep -rlqE "#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/$owner"; then
    echo "$owner includes no $pattern"
    failed=1
  fi
}
check core/run 'boost/mpi|mpi\.h'
check core/scenario 'nlohmann/'
check core/graph 'boost/graph/'
check core/plugin 'boost/dll'
check core/report 'sqlite3\.h'
check core/serve 'httplib\.h'
check cli 'CLI/'
exit $failed
