// @file cli layer: parsing of option values shared by the subcommands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "qcm/backend.hpp"
#include "qcm/columns.hpp"
#include "qcm/spec.hpp"

namespace qcm {

/// Invalid command-line input (exit status 2); the message starts with the option.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Every output group.
inline constexpr std::uint32_t kAllGroups =
    kGroupFinal | kGroupStationary | kGroupGksl | kGroupDecomposition | kGroupState;

/// "final,stationary,..." -> Group bitmask (--outputs).
std::uint32_t parse_output_groups(const std::string& list);
/// The names of the groups in `groups`, in kGroupTable order, joined by `separator`.
std::string group_list(std::uint32_t groups, const std::string& separator = ",");
/// The groups `qcm run` and `qcm validate` compute for `spec`: the --outputs
/// list, less final and decomposition for "evolve": false (asking for them
/// explicitly is then an error).
std::uint32_t output_groups(const Spec& spec, const std::string& list, bool given);
/// "double" | "float" (--precision).
Precision parse_precision(const std::string& text);
/// "512M", "4G", ... -> bytes; "" -> 0 (--max-memory).
std::size_t parse_memory(const std::string& text);

}  // namespace qcm
