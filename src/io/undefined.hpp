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
std::vector<UndefinedReason> undefined_reasons(std::uint32_t flags, std::uint32_t groups);

}  // namespace qcm
