// @file cli layer: entry point of the `qcm` command.
#pragma once

namespace qcm {

/// `qcm run | validate | info | bench`; returns the exit status.
int run_cli(int argc, char** argv);

}  // namespace qcm
