// @file cli layer: parsing of option values shared by the subcommands.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "qcm/backend.hpp"

namespace qcm {

/// Invalid command-line input (exit status 2); the message starts with the option.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "final,stationary,..." -> Group bitmask (--outputs).
std::uint32_t parse_output_groups(const std::string& list);
/// "double" | "float" (--precision).
Precision parse_precision(const std::string& text);
/// "512M", "4G", ... -> bytes; "" -> 0 (--max-memory).
std::size_t parse_memory(const std::string& text);

}  // namespace qcm
