#!/usr/bin/env bash
# Checks that every C++ source follows .clang-format; lists those that do not and exits 1.
# Usage: scripts/check-format.sh [FILE...]   (default: every tracked *.cpp and *.hpp)
# Fix with: clang-format -i FILE... (the whole tree: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format not found; scripts/install-deps.sh installs it" >&2
  exit 2
fi
if [[ $# -eq 0 ]] && ! command -v git >/dev/null; then
  echo "check-format: git not found, so the tracked files cannot be listed; scripts/install-deps.sh installs it" >&2
  exit 2
fi
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
fi

unformatted=()
for file in "${files[@]}"; do
  if ! clang-format --style=file "$file" | cmp -s - "$file"; then
    unformatted+=("$file")
  fi
done
if [[ ${#unformatted[@]} -gt 0 ]]; then
  echo "check-format: ${#unformatted[@]} file(s) differ from .clang-format ($(clang-format --version | head -1)):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "fix with: clang-format -i FILE..." >&2
  exit 1
fi
