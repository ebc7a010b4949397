#!/usr/bin/env bash
# Installs the Debian 12 packages pathways needs, skipping those already present.
# Idempotent; runs as root, or through sudo otherwise.
# Usage: scripts/install-deps.sh [--with-browser]   (--with-browser adds Chromium for the report test)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-graph-dev libboost-filesystem-dev
  # Boost.MPI over Open MPI: `mpirun -np N pathways run ...` splits draws across ranks (core/run).
  libboost-mpi-dev openmpi-bin
  libeigen3-dev nlohmann-json3-dev catch2 libcli11-dev libsqlite3-dev libfmt-dev
  graphviz
  # libFuzzer targets (scripts/fuzz.sh): clang, and its fuzzer and sanitizer runtimes, which clang only
  # recommends (a fresh Debian 12 without them fails to link the fuzz targets).
  clang libclang-rt-14-dev
  # scripts/check-format.sh and .clang-tidy; the format is defined by this version (Debian 12: 14).
  clang-format clang-tidy
  # The benchmark's NumPy reference and the test that checks it against the engine; OpenBLAS, as numpy's
  # own wheels ship it, since Debian's numpy otherwise runs on the reference BLAS.
  python3-numpy libopenblas0-pthread
  # An independent JSON Schema validator: the test that the shipped schemas agree with `pathways validate`.
  python3-jsonschema
  # R's lavaan: the test that it parses the lavaan export and implies the same total effects.
  r-cran-lavaan
  # The Python module (cli/python) and its tests, built for Debian's python3; pandas for its DataFrames.
  python3-dev python3-pybind11 python3-pandas
  # pathways serve: the explorer's web server (core/serve owns it; found through pkg-config).
  libcpp-httplib-dev
  # Programs README.md runs that a minimal Debian lacks (tests/readme/check_programs.py checks the list):
  # sqlite3 queries a sweep's --db, curl calls the explorer's JSON API, /usr/bin/time (GNU time) times
  # whole commands.
  sqlite3 curl time
  # scripts/check-format.sh lists the tracked sources with git (a minimal Debian has none).
  git
  # The documentation site (mkdocs.yml, docs/): built offline by a test, `mkdocs build --strict`.
  mkdocs
)
if [[ "${1:-}" == "--with-browser" ]]; then
  packages+=(chromium)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  as_root=(sudo)
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
