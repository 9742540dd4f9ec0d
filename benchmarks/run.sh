#!/usr/bin/env bash
# qcm side by side with what users would use instead: QuTiP, a NumPy/SciPy loop,
# vectorised NumPy (benchmarks/peers/), for the qubit form and for general models
# (benchmarks/peers/general.py). One command:
#
#   benchmarks/run.sh                 # the full run (about 10 minutes on 2 cores)
#   benchmarks/run.sh --quick         # a smoke test (about 2 minutes)
#   benchmarks/run.sh --skip-memory   # any option of benchmarks/peers/bench.py
#
# It installs what is missing (Debian's python3-numpy, python3-scipy,
# python3-qutip and GNU time, with apt-get as root or through passwordless sudo),
# builds qcm into build/ if build/qcm is absent (QCM=/path/to/qcm to use another
# binary), cross-checks every peer against qcm and the GKSL limit against QuTiP,
# runs the ladder, the scaling and the memory measurements, and writes
# benchmarks/results/<date>-<host>.json and .md. Exit status 1 when any
# implementation disagrees with qcm by more than 1e-8.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3
need=()
[ -x "$PYTHON" ] || need+=(python3)
if [ -x "$PYTHON" ]; then
  "$PYTHON" -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
  "$PYTHON" -c 'import scipy' 2>/dev/null || need+=(python3-scipy)
  "$PYTHON" -c 'import qutip' 2>/dev/null || need+=(python3-qutip)
else
  need+=(python3-numpy python3-scipy python3-qutip)
fi
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "benchmarks/run.sh: installing ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  elif sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "benchmarks/run.sh: missing Debian packages: ${need[*]} (install them as root:" \
         "apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

QCM=${QCM:-build/qcm}
if [ ! -x "$QCM" ]; then
  echo "benchmarks/run.sh: $QCM not found; building qcm (scripts/build.sh)" >&2
  scripts/build.sh
  QCM=build/qcm
fi

QCM=$(realpath "$QCM")
# The peers run single-threaded, as a user runs them (NumPy's batched 4x4 work
# does not use BLAS threads); keep BLAS threads off so that they cannot compete
# with qcm's OpenMP threads in the interleaved runs.
export OPENBLAS_NUM_THREADS=1
status=0
"$PYTHON" benchmarks/peers/bench.py --qcm "$QCM" --out-dir benchmarks/results \
  --command "benchmarks/run.sh${*:+ $*}" "$@" || status=$?
# General models (spin-1 and an N = 8 oscillator with qubit ancillas) against
# QuTiP and vectorised NumPy; --quick passes on.
quick=()
for a in "$@"; do [ "$a" = "--quick" ] && quick=(--quick); done
"$PYTHON" benchmarks/peers/general.py --qcm "$QCM" --out-dir benchmarks/results "${quick[@]}" ||
  status=$?
exit "$status"
