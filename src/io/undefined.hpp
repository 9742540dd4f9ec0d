// @file io layer: which columns a point's undefined flags null, and why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qcm {

struct UndefinedReason {
  std::vector<int> columns;  ///< Column slots (only requested ones are reported)
  std::string reason;
};

/// The reasons of a point's flags, restricted to the requested groups; the
/// columns come from kColumnTable (qcm/columns.hpp).
/// Why the columns of `groups` that `flags` null are null; `general_form`
/// words the reasons for the general form where the qubit form's sentence
/// names qubit operators.
std::vector<UndefinedReason> undefined_reasons(std::uint32_t flags, std::uint32_t groups,
                                               bool general_form = false);

}  // namespace qcm
