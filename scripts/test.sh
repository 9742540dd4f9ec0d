#!/usr/bin/env bash
# Build and run every test (GPU tests skip themselves without a device).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j"${QCM_JOBS:-2}"
