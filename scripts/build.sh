#!/usr/bin/env bash
# Configure and build qcm into build/ (CUDA backend when nvcc is found).
# Arguments are build targets (default: everything, tests included), e.g.
# `scripts/build.sh qcm` for the command alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
# Ninja for new build trees: it compiles a target's sources while the targets
# it links against still build (make waits for them), which keeps both cores
# busy during the minutes of nvcc. An existing tree keeps its generator.
command -v ninja >/dev/null 2>&1 && export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${QCM_CMAKE_ARGS:-} >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"${QCM_JOBS:-2}" "${targets[@]}"
