// @file spec layer: sweep axes (parsing, linspace/logspace) and expansion to parameter points.
//
// Axis values are validated and converted once here, so that Spec::point() never touches
// JSON: it decomposes the index in mixed radix (last axis fastest) and copies numbers.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "spec/spec_detail.hpp"

namespace qcm {
namespace spec_detail {
namespace {

// In Field order.
constexpr std::string_view kSweepablePaths[] = {"system.omega",
                                                "ancilla.omega",
                                                "ancilla.beta",
                                                "coupling.xx",
                                                "coupling.xy",
                                                "coupling.xz",
                                                "coupling.yx",
                                                "coupling.yy",
                                                "coupling.yz",
                                                "coupling.zx",
                                                "coupling.zy",
                                                "coupling.zz",
                                                "coupling.alpha",
                                                "coupling.gamma",
                                                "coupling.strength",
                                                "coupling.perpendicular",
                                                "dt",
                                                "collisions",
                                                "initial_state"};
static_assert(std::size(kSweepablePaths) == static_cast<std::size_t>(Field::initial_state) + 1);

void check_count(std::size_t count, const std::string& path, const Json& written) {
  if (count > static_cast<std::size_t>(kMaxAxisValues)) {
    fail(path,
         "at most " + std::to_string(kMaxAxisValues) +
             " values per axis (a larger sweep needs several axes)",
         written);
  }
}

/// {"linspace": [a, b, n]} or {"logspace": [a, b, n]}, with numpy's semantics.
std::vector<Json> generated_values(const Json& generator, const std::string& location,
                                   std::string_view list_only, bool integral) {
  static constexpr std::string_view kGenerators[] = {"linspace", "logspace"};
  check_object(generator, location, kGenerators);
  if (generator.size() != 1) {
    fail(location, R"(expected exactly one of "linspace" or "logspace")", generator);
  }
  if (!list_only.empty()) fail(location, std::string(list_only), generator);
  const bool log = generator.contains("logspace");
  const std::string path = key_path(location, log ? "logspace" : "linspace");
  const Json& args = generator.begin().value();
  if (!args.is_array() || args.size() != 3) fail(path, "expected [start, stop, count]", args);
  const double start = finite_number(args[0], index_path(path, 0));
  const double stop = finite_number(args[1], index_path(path, 1));
  const std::int64_t count = positive_integer(args[2], index_path(path, 2));
  check_count(static_cast<std::size_t>(count), index_path(path, 2), args[2]);

  // numpy.linspace: start + i * step, with the last value exactly `stop`.
  const std::size_t n = static_cast<std::size_t>(count);
  const double step = n > 1 ? (stop - start) / static_cast<double>(n - 1) : 0.0;
  std::vector<Json> values;
  values.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    double x = (n > 1 && i == n - 1) ? stop : start + static_cast<double>(i) * step;
    if (log) x = std::pow(10.0, x);
    Json written = x;
    if (integral) {
      // Values meant as integers (linspace [100, 1000, 10]) may come out a rounding error off.
      const double nearest = std::nearbyint(x);
      if (std::abs(x - nearest) <= 1e-9 * std::max(1.0, std::abs(nearest)) &&
          std::abs(nearest) < 9.2e18) {
        written = static_cast<std::int64_t>(nearest);
      }
    }
    values.push_back(std::move(written));
  }
  return values;
}

/// The qubit form's paths: the Field named by the path, values converted to numbers or
/// Bloch vectors.
SweptPath qubit_path(const std::string& path, const std::string& location, const Json& values) {
  const std::optional<Field> field = field_from_path(path);
  if (!field) {
    static constexpr std::string_view kGeneralPrefixes[] = {"system.space",  "system.hamiltonian",
                                                            "ancilla.space", "ancilla.hamiltonian",
                                                            "ancilla.state", "coupling.terms"};
    for (const auto& prefix : kGeneralPrefixes) {
      if (path.starts_with(prefix)) {
        fail(location,
             "only the general form has this path; give system.space and system.hamiltonian to "
             "use it (docs/spec.md, \"General models\")");
      }
    }
    std::string sweepable;
    for (const auto& p : kSweepablePaths)
      sweepable += (sweepable.empty() ? "" : ", ") + std::string(p);
    fail(location, "unknown sweep path" + did_you_mean(path, kSweepablePaths) +
                       " (sweepable: " + sweepable + ")");
  }
  SweptPath swept;
  swept.field = *field;
  const bool state = *field == Field::initial_state;
  swept.values.as_written =
      written_values(values, location, state ? "initial_state values must be a list of states" : "",
                     *field == Field::collisions);
  const std::vector<Json>& written = swept.values.as_written;
  swept.values.numbers.reserve(written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    const std::string value_path = index_path(location, i);
    if (state) {
      swept.values.states.push_back(state_bloch(written[i], value_path));
      swept.values.numbers.push_back(std::numeric_limits<double>::quiet_NaN());
    } else {
      swept.values.numbers.push_back(field_number(*field, written[i], value_path));
    }
  }
  return swept;
}

}  // namespace

std::string_view field_path(Field field) {
  return kSweepablePaths[static_cast<std::size_t>(field)];
}

std::optional<Field> field_from_path(std::string_view path) {
  const auto it = std::find(std::begin(kSweepablePaths), std::end(kSweepablePaths), path);
  if (it == std::end(kSweepablePaths)) return std::nullopt;
  return static_cast<Field>(it - std::begin(kSweepablePaths));
}

std::span<const std::string_view> sweepable_paths() {
  return kSweepablePaths;
}

std::vector<Json> written_values(const Json& values, const std::string& location,
                                 std::string_view list_only, bool integral) {
  if (values.is_array()) {
    if (values.empty()) fail(location, "expected at least one value", values);
    check_count(values.size(), location, values.size());
    return std::vector<Json>(values.begin(), values.end());
  }
  if (values.is_object()) return generated_values(values, location, list_only, integral);
  fail(location, R"(expected a list of values, {"linspace": [a, b, n]} or {"logspace": [a, b, n]})",
       values);
}

ParsedSweep parse_sweep(const Json& sweep) {
  return parse_sweep(sweep, qubit_path);
}

ParsedSweep parse_sweep(const Json& sweep, const PathParser& parse_path) {
  static constexpr std::string_view kModes[] = {"grid", "zip"};
  check_object(sweep, "sweep", kModes);
  if (sweep.size() != 1) fail("sweep", R"(expected exactly one of "grid" or "zip")", sweep);
  const bool zip = sweep.contains("zip");
  const std::string mode_path = zip ? "sweep.zip" : "sweep.grid";
  const Json& paths = sweep.begin().value();
  if (!paths.is_object()) fail(mode_path, "expected an object {\"path\": values, ...}", paths);
  if (paths.empty()) fail(mode_path, "expected at least one path", paths);

  ParsedSweep parsed;
  for (const auto& [path, values] : paths.items()) {
    const std::string location = key_path(mode_path, path);
    SweptPath swept = parse_path(path, location, values);
    PathValues& converted = swept.values;
    if (!zip || parsed.axes.empty()) {
      parsed.axes.emplace_back();
      parsed.locations.emplace_back();
    }
    SweepAxis& axis = parsed.axes.back();
    if (axis.size() != 0 && converted.as_written.size() != axis.size()) {
      fail(location, "zip lists must have equal lengths: this one has " +
                         std::to_string(converted.as_written.size()) + " values, " +
                         parsed.locations.back().front() + " has " + std::to_string(axis.size()));
    }
    axis.paths.push_back(path);
    axis.fields.push_back(swept.field);
    axis.leaves.push_back(swept.leaf);
    axis.numbers.push_back(std::move(converted.numbers));
    axis.states.push_back(std::move(converted.states));
    axis.as_written.push_back(std::move(converted.as_written));
    parsed.locations.back().push_back(location);
  }
  return parsed;
}

}  // namespace spec_detail

std::uint64_t Spec::point_count() const {
  std::uint64_t count = 1;
  for (const SweepAxis& axis : axes) {
    const std::uint64_t size = axis.size();
    if (size != 0 && count > std::numeric_limits<std::uint64_t>::max() / size) {
      return std::numeric_limits<std::uint64_t>::max();
    }
    count *= size;
  }
  return count;
}

std::vector<std::string> Spec::swept_columns() const {
  std::vector<std::string> columns;
  for (const SweepAxis& axis : axes)
    columns.insert(columns.end(), axis.paths.begin(), axis.paths.end());
  return columns;
}

core::PointParams Spec::point(std::uint64_t index) const {
  if (form == SpecForm::general) {
    throw std::logic_error(
        "Spec::point: a general-form spec has no qubit point; use general_point");
  }
  ModelValues values = base;
  std::uint64_t rest = index;
  for (std::size_t a = axes.size(); a-- > 0;) {
    const SweepAxis& axis = axes[a];
    const std::size_t i = rest % axis.size();
    rest /= axis.size();
    for (std::size_t p = 0; p < axis.fields.size(); ++p) {
      if (axis.fields[p] == Field::initial_state) {
        std::copy(axis.states[p][i].begin(), axis.states[p][i].end(), values.bloch0);
      } else {
        spec_detail::set_field(values, axis.fields[p], axis.numbers[p][i]);
      }
    }
  }
  if (rest != 0)
    throw std::out_of_range("Spec::point: index " + std::to_string(index) + " >= point count");
  return resolve_point(values, dynamics);
}

const Json& Spec::swept_value(std::uint64_t index, std::size_t column) const {
  std::size_t a = 0;
  while (a < axes.size() && column >= axes[a].paths.size()) column -= axes[a++].paths.size();
  if (a == axes.size()) throw std::out_of_range("Spec::swept_value: no such swept column");
  for (std::size_t later = axes.size(); later-- > a + 1;) index /= axes[later].size();
  return axes[a].as_written[column][index % axes[a].size()];
}

}  // namespace qcm
