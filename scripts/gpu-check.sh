#!/usr/bin/env bash
# One command for a machine with an NVIDIA GPU: the whole test suite (GPU tests
# included), `qcm validate` cuda against cpu on a random sweep of 10^6 points,
# and `qcm bench`; a short table last, full logs under $OUT when it is set.
# Usage: scripts/gpu-check.sh [BUILD_DIR]   (default build-gpu, from scripts/gpu-pack.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-gpu}
logs=${OUT:-$(mktemp -d)}
mkdir -p "$logs"
export LD_LIBRARY_PATH="$PWD/$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The test binary holds this checkout's absolute paths (data, executable):
# make them resolve on a copy of the tree elsewhere.
if [ ! -e /work/main ] && [ "$PWD" != /work/main ]; then
  mkdir -p /work 2>/dev/null && ln -s "$PWD" /work/main 2>/dev/null || true
fi
summary=()
step() {  # step NAME COMMAND...: run, log, remember status and wall time
  local name=$1; shift
  local t0=$(date +%s%N)
  "$@" >"$logs/$name.log" 2>&1
  local rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  summary+=("$(printf '%-15s rc=%-3s %6d ms  %s' "$name" "$rc" "$ms" "$logs/$name.log")")
  return $rc
}
nvidia-smi >"$logs/nvidia-smi.log" 2>&1 || true
step info "$build/qcm" info
step tests "$build/tests/qcm_tests"
step validate "$build/qcm" validate examples/gpu-validate-1e6.json --backend cuda --against cpu
step validate-float "$build/qcm" validate examples/gpu-validate-1e6.json --backend cuda --against cpu --precision float
step bench "$build/qcm" bench --repeats 3 -o "$logs/bench.json"
echo "== qcm info";       cat "$logs/info.log"
echo "== tests";          grep -E "^\[  (PASSED|FAILED|SKIPPED) |tests ran" "$logs/tests.log" | tail -15
echo "== validate (double)"; tail -4 "$logs/validate.log"
echo "== validate (float)";  tail -2 "$logs/validate-float.log"
echo "== bench";          cat "$logs/bench.log"
echo "== summary"
printf '%s\n' "${summary[@]}"
