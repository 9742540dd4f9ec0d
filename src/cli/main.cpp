// @file cli layer: main() of the `qcm` command.
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return qcm::run_cli(argc, argv);
}
