// @file spec layer (private): JSON-path errors and value validators shared by
// spec.cpp (the model) and sweep.cpp (the sweep axes).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qcm/spec.hpp"

namespace qcm::spec_detail {

/// `parent.key`, or `parent["key"]` when key is not a plain identifier (docs/spec.md).
std::string key_path(const std::string& parent, std::string_view key);
/// `parent[index]`.
std::string index_path(const std::string& parent, std::size_t index);

/// Throws SpecError "path: what, got <value>".
[[noreturn]] void fail(const std::string& path, const std::string& what, const Json& got);
/// Throws SpecError "path: what".
[[noreturn]] void fail(const std::string& path, const std::string& what);

/// `; did you mean "x"?` for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
/// The words joined by ", ".
std::string join(std::span<const std::string_view> words);
/// One of a fixed set of strings, with a suggestion when misspelled.
std::string_view choice(const Json& value, const std::string& path,
                        std::span<const std::string_view> allowed);
/// Requires an object whose keys are all in `allowed` (error names the first unknown key).
void check_object(const Json& value, const std::string& path,
                  std::span<const std::string_view> allowed);

double finite_number(const Json& value, const std::string& path);
/// An integer >= 1 (an integral floating value such as 1e3 is accepted).
std::int64_t positive_integer(const Json& value, const std::string& path);
/// A finite number, or "inf", "+inf", "-inf".
double beta_value(const Json& value, const std::string& path);
/// An initial state as written (string or object) -> Bloch vector.
std::array<double, 3> state_bloch(const Json& value, const std::string& path);

/// The sweepable path that names `field` ("coupling.yy").
std::string_view field_path(Field field);
/// The Field named by a sweep path, if any.
std::optional<Field> field_from_path(std::string_view path);
/// Every sweepable path, in Field order.
std::span<const std::string_view> sweepable_paths();
/// Validates one value of a numeric field as written; returns the number.
double field_number(Field field, const Json& value, const std::string& path);

/// Sets one numeric field of `values` (initial_state is set from SweepAxis::states instead).
inline void set_field(ModelValues& values, Field field, double number) {
  switch (field) {
    case Field::system_omega:
      values.system_omega = number;
      return;
    case Field::ancilla_omega:
      values.ancilla_omega = number;
      return;
    case Field::ancilla_beta:
      values.ancilla_beta = number;
      return;
    case Field::coupling_alpha:
      values.alpha = number;
      return;
    case Field::coupling_gamma:
      values.gamma = number;
      return;
    case Field::coupling_strength:
      values.strength = number;
      return;
    case Field::coupling_perpendicular:
      values.perpendicular = number;
      return;
    case Field::dt:
      values.dt = number;
      return;
    case Field::collisions:
      values.collisions = static_cast<std::int64_t>(number);
      return;
    case Field::initial_state:
      return;
    default: {  // the nine components, row-major from coupling_xx
      const int lm = static_cast<int>(field) - static_cast<int>(Field::coupling_xx);
      values.coupling[lm / 3][lm % 3] = number;
      return;
    }
  }
}

/// A parsed sweep with, for every path of every axis, its location in the spec.
struct ParsedSweep {
  std::vector<SweepAxis> axes;
  std::vector<std::vector<std::string>> locations;  ///< parallel to axes[a].paths
};
/// Parses the top-level "sweep" object (path "sweep") of a qubit-form spec.
ParsedSweep parse_sweep(const Json& sweep);

/// The values of one swept path, as written and converted.
struct PathValues {
  std::vector<double> numbers;
  std::vector<std::array<double, 3>> states;
  std::vector<Json> as_written;
};
/// One swept path: the field (and general leaf) it sets, and its values.
struct SweptPath {
  Field field = Field::general_leaf;
  int leaf = -1;
  PathValues values;
};
/// Resolves one sweep path (as written, at `location` in the spec) and converts its values.
using PathParser = std::function<SweptPath(const std::string& path, const std::string& location,
                                           const Json& values)>;
/// Parses the top-level "sweep" object with a form's own path rules.
ParsedSweep parse_sweep(const Json& sweep, const PathParser& parse_path);
/// The values of one swept path as written: a list (at least one value), or the numbers of a
/// linspace/logspace. A non-empty `list_only` refuses generators with that message; with
/// `integral`, generated values within 1e-9 (relative) of an integer are written as it.
std::vector<Json> written_values(const Json& values, const std::string& location,
                                 std::string_view list_only, bool integral);

/// The keys both forms share, read in the order of the qubit form: scaling, dt, collisions ...
void parse_steps(const Json& document, Spec& spec);
/// ... and evolve, dynamics, series.
void parse_run_options(const Json& document, Spec& spec);
/// A spec is in the general form when `system` has `space` or `hamiltonian`.
bool is_general_form(const Json& document);
/// Parses the model and sweep of a general-form spec into `spec` (src/spec/general_spec.cpp);
/// description and the shared keys are read by the caller.
void parse_general(const Json& document, Spec& spec);

}  // namespace qcm::spec_detail
