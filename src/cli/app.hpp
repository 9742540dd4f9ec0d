// @file cli layer: entry point of the `qcm` command.
#pragma once

namespace qcm {
int run_cli(int argc, char** argv);
}
