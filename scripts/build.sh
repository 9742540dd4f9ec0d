#!/usr/bin/env bash
# Configure and build qcm into build/ (CUDA backend when nvcc is found).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${QCM_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"${QCM_JOBS:-2}"
