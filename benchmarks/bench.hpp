// @file benchmarks: `qcm bench` (throughput of every backend; see docs/BENCHMARKS.md).
#pragma once

#include <string>
#include <vector>

namespace qcm {

struct BenchOptions {
  std::vector<std::string> backends;  ///< empty: reference, cpu, and cuda when a device is present
  int repeats = 3;
  double scale = 1.0;             ///< multiplies every sweep size (e.g. 0.01 for a smoke run)
  std::vector<std::string> jobs;  ///< empty: every job; else the jobs whose name contains one
  std::string output;             ///< JSON report path (empty: table only)
};

int bench_command(const BenchOptions& options);

}  // namespace qcm
