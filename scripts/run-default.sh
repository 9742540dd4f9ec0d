#!/usr/bin/env bash
# The main job: build, then run the default sweep (the paper's Fig. 1(a):
# beta_eff/beta against J_yy/J_xx for beta = 1, 3, 5, 7, 9), writing
# results/fig1a.json and printing a readable table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh qcm  # the command only; scripts/test.sh builds the tests
mkdir -p results
build/qcm run -o results/fig1a.json "$@"
