#!/usr/bin/env bash
# Configure and build qcm into build/ (CUDA backend when nvcc is found).
# Arguments are build targets (default: everything, tests included), e.g.
# `scripts/build.sh qcm` for the command alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${QCM_CMAKE_ARGS:-} >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"${QCM_JOBS:-2}" "${targets[@]}"
