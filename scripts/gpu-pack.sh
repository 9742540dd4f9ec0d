#!/usr/bin/env bash
# Build the CUDA-enabled tree that scripts/gpu-check.sh runs on a GPU machine
# which has no compiler and none of our -dev packages: build-gpu/ (Release,
# sm_80 + sm_90), with the runtime libraries it needs copied into build-gpu/lib.
# Carry build-gpu to the GPU machine (it stays well under 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
# Ninja for new build trees (see scripts/build.sh); an existing tree keeps its generator.
command -v ninja >/dev/null 2>&1 && export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DQCM_ENABLE_CUDA=ON >/dev/null
cmake --build build-gpu -j"${QCM_JOBS:-2}" --target qcm qcm_tests
mkdir -p build-gpu/lib
for lib in libgomp.so.1 libstdc++.so.6 libgcc_s.so.1; do
  cp -L "$(ldd build-gpu/qcm | awk -v l="$lib" '$1 == l {print $3}')" build-gpu/lib/
done
# Object files are not needed there.
find build-gpu -name '*.o' -delete
du -sh build-gpu
