// @file public API: the JSON spec (model + sweep), parsed and validated.
//
// The spec is parsed with nlohmann::ordered_json so the order as written is
// kept: the first key of a `grid` is the outermost (slowest) axis. Every
// error names the JSON path that is wrong (docs/spec.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "qcm/core/general_point.hpp"
#include "qcm/core/point.hpp"

namespace qcm {

using Json = nlohmann::ordered_json;

/// Invalid input. what() is the whole one-line message, which starts with the
/// JSON path ("coupling.xx: expected a finite number, got \"abc\"").
class SpecError : public std::runtime_error {
 public:
  SpecError(std::string path, const std::string& what)
      : std::runtime_error(path.empty() ? what : path + ": " + what), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Most values one sweep axis may hold (a linspace/logspace count or a list length).
/// Larger sweeps use several axes: the point count is their product.
inline constexpr std::int64_t kMaxAxisValues = 10'000'000;

/// A model field that a sweep can set.
enum class Field : int {
  system_omega,
  ancilla_omega,
  ancilla_beta,
  coupling_xx,
  coupling_xy,
  coupling_xz,
  coupling_yx,
  coupling_yy,
  coupling_yz,
  coupling_zx,
  coupling_zy,
  coupling_zz,
  coupling_alpha,
  coupling_gamma,
  coupling_strength,
  coupling_perpendicular,
  dt,
  collisions,
  initial_state,
  general_leaf,  ///< a parameter of a general model (SweepAxis::leaves says which)
};

/// How the coupling is written: nine J_lm, or one of the paper's angle forms.
enum class CouplingForm : int { components, eq31_strength, perpendicular };

/// The model with every field as a number (before the coupling form is resolved).
struct ModelValues {
  double system_omega = 1.0;
  double ancilla_omega = 1.0;
  double ancilla_beta = 1.0;
  double coupling[3][3] = {};
  CouplingForm coupling_form = CouplingForm::components;
  double alpha = 0, gamma = 0, strength = 0, perpendicular = 0;
  core::Scaling scaling = core::Scaling::ultrastrong;
  double dt = 0.05;
  std::int64_t collisions = 1000;
  double bloch0[3] = {0, 0, -1};
};

/// One sweep axis: a grid axis has one path, a zip axis several paths of equal length.
struct SweepAxis {
  std::vector<std::string> paths;  ///< as written, e.g. "ancilla.beta"
  std::vector<Field> fields;       ///< parallel to paths
  /// numbers[p][i]: value i of path p (initial_state paths hold NaN here).
  std::vector<std::vector<double>> numbers;
  /// states[p][i]: for initial_state paths, the Bloch vector of value i.
  std::vector<std::vector<std::array<double, 3>>> states;
  /// as_written[p][i]: the value as the user wrote it (for the result's swept columns).
  std::vector<std::vector<Json>> as_written;
  /// General form only, parallel to paths: which parameter of the GeneralModel
  /// a Field::general_leaf path sets (its own numbering; -1 for other fields).
  std::vector<int> leaves;
  std::size_t size() const { return as_written.empty() ? 0 : as_written.front().size(); }
};

/// What a result needs to know of a general model (docs/spec.md, "General models").
struct GeneralModelInfo {
  int system_dim = 0;
  std::string system_space;  ///< as a physicist says it: "spin 1", "oscillator (8 levels)", ...
  struct Bath {
    std::string name;  ///< "" for the single ancilla of the one-bath form
    int ancilla_dim = 0;
    bool gibbs = true;  ///< given by beta (a Gibbs state) rather than by a state
  };
  std::vector<Bath> baths;
  core::Rounds rounds = core::Rounds::sequential;
  /// Written as "baths": [...] (its columns name the baths, even for one bath).
  bool named_baths = false;
};

/// A parsed general model and the rules that turn a sweep point into its
/// record (src/spec/general_model.cpp; opaque outside the spec layer).
class GeneralModel;

/// The form a spec is written in: the qubit form of the paper, or the general
/// form (any spaces; `system` has `space` and `hamiltonian`).
enum class SpecForm { qubit, general };

struct Spec {
  Json document;  ///< the spec as written (echoed into the result)
  SpecForm form = SpecForm::qubit;
  /// The general model (form == general), shared by copies of the spec.
  std::shared_ptr<const GeneralModel> general;
  std::string description;
  ModelValues base;
  std::vector<SweepAxis> axes;    ///< outermost (slowest) first
  std::int64_t series_every = 0;  ///< 0: no series
  bool evolve = true;             ///< "evolve": false skips time-stepping
  core::Dynamics dynamics = core::Dynamics::collision;

  /// Number of points (product of axis sizes; 1 without a sweep). Saturates at UINT64_MAX.
  std::uint64_t point_count() const;
  /// Swept column names in sweep order (each path of each axis).
  std::vector<std::string> swept_columns() const;
  /// The fully resolved point `index` (0-based, last axis fastest); qubit form only.
  core::PointParams point(std::uint64_t index) const;
  /// General form only: the sizes of every point's record, and what a result
  /// needs to know of the model.
  core::GeneralShape general_shape() const;
  const GeneralModelInfo& general_info() const;
  /// General form only: write point `index` into `record` (general_shape().stride doubles).
  void general_point(std::uint64_t index, double* record) const;
  /// The value of swept column `column` at point `index`, as written.
  const Json& swept_value(std::uint64_t index, std::size_t column) const;
};

/// Parse and validate. Throws SpecError naming the JSON path.
Spec parse_spec(const Json& document);
/// Parse text (JSON syntax errors become SpecError with the position).
Spec parse_spec_text(std::string_view text);
/// Read and parse a file (unreadable file, directory: SpecError naming the file).
Spec load_spec(const std::filesystem::path& path);
/// The built-in default sweep: the paper's Fig. 1(a).
Json default_spec_document();

/// Resolve a ModelValues (coupling form applied) into a PointParams.
core::PointParams resolve_point(const ModelValues& values, core::Dynamics dynamics);

}  // namespace qcm
