// @file cli layer: main().
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return qcm::run_cli(argc, argv);
}
