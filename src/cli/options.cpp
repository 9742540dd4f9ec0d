// @file cli layer: parsing of option values shared by the subcommands.
#include "cli/options.hpp"

#include <cmath>
#include <sstream>

namespace qcm {

std::uint32_t parse_output_groups(const std::string& list) {
  std::uint32_t groups = 0;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    bool found = false;
    for (const GroupInfo& g : kGroupTable)
      if (g.name == name) {
        groups |= g.group;
        found = true;
      }
    if (!found)
      throw UsageError("--outputs: unknown group \"" + name + "\" (choose from " +
                       group_list(kAllGroups, ", ") + ")");
  }
  if (!groups) throw UsageError("--outputs: empty list");
  return groups;
}

std::string group_list(std::uint32_t groups, const std::string& separator) {
  std::string text;
  for (const GroupInfo& g : kGroupTable)
    if (groups & g.group) text += (text.empty() ? "" : separator) + std::string(g.name);
  return text;
}

std::uint32_t output_groups(const Spec& spec, const std::string& list, bool given) {
  std::uint32_t groups = parse_output_groups(list);
  if ((groups & kGroupState) && spec.form != SpecForm::general)
    throw UsageError(
        "--outputs: the state group (the density matrix, rho) belongs to the general form; a "
        "qubit-form state is its Bloch vector, in the final group");
  if (!spec.evolve) {
    constexpr std::uint32_t kStepped = kGroupFinal | kGroupDecomposition | kGroupState;
    if (given && (groups & kStepped))
      throw UsageError(
          "--outputs: final, decomposition and state need time-stepping, but the spec says "
          "\"evolve\": false");
    groups &= ~kStepped;
    if (!groups) throw UsageError("--outputs: nothing left to compute with \"evolve\": false");
  }
  return groups;
}

std::size_t parse_memory(const std::string& text) {
  if (text.empty()) return 0;
  std::size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw UsageError("--max-memory: expected a size such as 512M or 4G, got \"" + text + "\"");
  }
  const std::string unit = text.substr(pos);
  double scale = 1;
  if (unit == "K" || unit == "KiB" || unit == "k")
    scale = 1024.0;
  else if (unit == "M" || unit == "MiB")
    scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty() && unit != "B")
    throw UsageError("--max-memory: unknown unit \"" + unit + "\" (use K, M or G)");
  if (!(value > 0) || !std::isfinite(value))
    throw UsageError("--max-memory: must be positive, got \"" + text + "\"");
  return static_cast<std::size_t>(value * scale);
}

Precision parse_precision(const std::string& text) {
  if (text == "double") return Precision::double_;
  if (text == "float") return Precision::float_;
  throw UsageError("--precision: expected double or float, got \"" + text + "\"");
}

}  // namespace qcm
