#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer run of the unit tests.
#
#   scripts/sanitize.sh
#
# CPU-only Debug build (CUDA off; -O1 so that the sanitized tests stay fast)
# into build-asan/ with -DQCM_SANITIZE=ON (-fsanitize=address,undefined, see
# CMakeLists.txt), then every test (QCM_SANITIZE_SKIP: a ctest regex of tests to
# leave out). Any sanitizer report aborts, and so fails, the test that triggered
# it. On two cores (2026-12-02, sharing them with other work): about 30 minutes
# to build, 10 to test. Missing Debian packages
# are installed first (scripts/setup-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${QCM_SANITIZE_BUILD:-build-asan}
jobs=${QCM_JOBS:-2}
skip=${QCM_SANITIZE_SKIP:-}

scripts/setup-deps.sh
# Ninja for new build trees (see scripts/build.sh); an existing tree keeps its generator.
command -v ninja >/dev/null 2>&1 && export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DQCM_SANITIZE=ON -DQCM_ENABLE_CUDA=OFF >/dev/null
cmake --build "$build" -j"$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exclude=()
[ -n "$skip" ] && exclude=(-E "$skip")
ctest --test-dir "$build" --output-on-failure -j"$jobs" "${exclude[@]}" --timeout 900
