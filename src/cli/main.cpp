// @file cli layer: main() and the subcommands that live outside src/ (bench).
#include "benchmarks/bench.hpp"
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return qcm::run_cli(argc, argv, qcm::bench_command);
}
