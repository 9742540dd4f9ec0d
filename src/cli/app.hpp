// @file cli layer: entry point of the `qcm` command.
#pragma once

namespace qcm {

struct BenchOptions;
using BenchCommand = int (*)(const BenchOptions&);

/// `bench` is passed in so that the library does not depend on benchmarks/.
int run_cli(int argc, char** argv, BenchCommand bench);

}  // namespace qcm
