// @file cli layer: `qcm validate`.
#pragma once

#include <string>

#include "cli/options.hpp"

namespace qcm {

struct ValidateArgs {
  std::string spec_path;
  std::string backend = "auto";
  std::string against = "reference";
  std::string precision = "double";
  std::string outputs = group_list(kDefaultGroups);
};

/// Prints per column the max absolute and relative deviation; 0 if all within
/// tolerance, 1 otherwise. Throws SpecError / BackendUnavailable on bad input.
int validate_command(const ValidateArgs& args, bool outputs_given);

}  // namespace qcm
