#!/usr/bin/env bash
# Fuzz the spec parser with libFuzzer (clang, AddressSanitizer + UBSan) for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]        (default 60, or QCM_FUZZ_SECONDS)
#
# Builds build-fuzz/ (clang, CUDA off, -DQCM_BUILD_FUZZ=ON; only the fuzz target
# tests/fuzz/spec_fuzz.cpp and the spec sources it covers), seeds it with
# tests/data/bad-specs/ and examples/, and runs it. The corpus it grows stays in
# build-fuzz/corpus/ for the next run. Exit status 1 when the fuzzer finds a
# crash, a sanitizer report, an exception other than SpecError, a timeout or an
# out-of-memory: the input is in build-fuzz/findings/, and
#   build-fuzz/tests/fuzz/qcm_spec_fuzz build-fuzz/findings/crash-...
# replays it. Missing Debian packages, clang and its fuzzer runtime among them,
# are installed first (scripts/setup-deps.sh with QCM_WITH_FUZZ=1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${QCM_FUZZ_SECONDS:-60}}
build=${QCM_FUZZ_BUILD:-build-fuzz}
jobs=${QCM_JOBS:-2}

# clang and its fuzzer runtime come with the other build dependencies.
QCM_WITH_FUZZ=1 scripts/setup-deps.sh
# Ninja for new build trees (see scripts/build.sh); an existing tree keeps its generator.
command -v ninja >/dev/null 2>&1 && export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
fuzzer_works() {  # can clang link a one-line libFuzzer target?
  command -v clang++ >/dev/null 2>&1 || return 1
  local dir status
  dir=$(mktemp -d)
  printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }' >"$dir/f.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$dir/f.cpp" -o "$dir/f" >/dev/null 2>&1
  status=$?
  rm -rf "$dir"
  return $status
}
if ! fuzzer_works; then
  echo "qcm fuzz: clang cannot link -fsanitize=fuzzer (Debian: apt-get install clang libclang-rt-dev)" >&2
  exit 1
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQCM_BUILD_FUZZ=ON -DQCM_ENABLE_CUDA=OFF \
  -DQCM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target qcm_spec_fuzz -j"$jobs"

# Seeds: every bad spec and every example, except the sweeps that are slow to
# expand on purpose (3 x 10^7 generated values: seconds per run under ASan).
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$build/corpus" "$build/findings"
cp tests/data/bad-specs/*.json examples/*.json "$seeds"/
rm -f "$seeds/sweep-1e21-points.json"

echo "qcm fuzz: spec parser for ${seconds}s ($(ls "$seeds" | wc -l) seeds, corpus $build/corpus)" >&2
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  "$build/tests/fuzz/qcm_spec_fuzz" "$build/corpus" "$seeds" \
  -dict=tests/fuzz/spec.dict -max_total_time="$seconds" -max_len=8192 -timeout=30 \
  -rss_limit_mb=4096 -artifact_prefix="$build/findings/" -print_final_stats=1
