// @file spec layer (private): the general form of a spec (docs/spec.md, "General models").
//
// general_model.cpp holds the algebra: the spaces and their operator catalogues, operators and
// states as written, and how a named state is resolved against a Hamiltonian. general_spec.cpp
// parses a general spec into a GeneralModel: the base model, the table of swept leaves, the
// checks that span several values (run on the sub-grid of the axes that touch each component),
// and the per-point record writer.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qcm/spec.hpp"

namespace qcm {
namespace general_detail {

using Complex = std::complex<double>;
using Matrix = Eigen::MatrixXcd;
/// Row-major, the layout of a record (entries as (re, im) pairs).
using RowMatrix = Eigen::Matrix<Complex, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Hermiticity, unit trace and positivity of input matrices: within this, relative to
/// max(1, largest |entry|).
inline constexpr double kMatrixTolerance = 1e-12;

enum class SpaceKind { qubit, spin, oscillator, levels };

/// A Hilbert space as written in `space` and its operator catalogue.
struct Space {
  SpaceKind kind = SpaceKind::levels;
  int dim = 0;
  int two_j = 0;      ///< spin only: 2j
  std::string label;  ///< "qubit", "spin 3/2", "oscillator (8 levels)", "3 levels"
  std::string path;   ///< where it is written: "system.space", "ancilla.space"

  /// The operator names of this space ("id" first).
  std::span<const std::string_view> names() const;
  /// The matrix of a name of names().
  Matrix named(std::string_view name) const;
  /// "the space has 3 levels"
  std::string size_text() const;
};

/// Parses a space as written at `path`.
Space parse_space(const Json& value, const std::string& path);

/// The matrix of a term key: operator names joined by "*", multiplied left to right. Throws
/// SpecError at `path` for an empty or unknown factor.
Matrix term_matrix(const Space& space, std::string_view key, const std::string& path);

/// A coefficient or matrix entry: a finite number or [re, im].
Complex complex_value(const Json& value, const std::string& path);

/// One term of an operator written as terms.
struct Term {
  std::string key;
  Complex coefficient;
  Matrix product;
};

/// An operator as written: {"matrix": rows} or an object of terms.
struct Operator {
  std::string path;  ///< "system.hamiltonian", "coupling.terms[0].ancilla"
  bool is_matrix = false;
  std::vector<Term> terms;  ///< terms form
  Matrix value;             ///< the operator as written (the sum of its terms)
};
Operator parse_operator(const Json& value, const std::string& path, const Space& space);

/// max |M_ij - conj(M_ji)|.
template <typename M>
double hermiticity_defect(const M& m) {
  double worst = 0;  // squared, over the upper triangle
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = i; j < m.cols(); ++j)
      worst = std::max(worst, std::norm(m(i, j) - std::conj(m(j, i))));
  return std::sqrt(worst);
}
/// Hermitian within kMatrixTolerance relative to max(1, largest |entry|).
template <typename M>
bool is_hermitian(const M& m, double defect) {
  const double largest = m.size() == 0 ? 0.0 : std::sqrt(m.cwiseAbs2().maxCoeff());
  return defect <= kMatrixTolerance * std::max(1.0, largest);
}

/// out += s m (same sizes), on the (re, im) doubles: a real s costs two multiplications per
/// entry, and no complex multiplication goes through the NaN-checking library path.
inline void add_scaled(RowMatrix& out, Complex s, const RowMatrix& m) {
  double* o = reinterpret_cast<double*>(out.data());
  const double* x = reinterpret_cast<const double*>(m.data());
  const std::size_t n = 2 * static_cast<std::size_t>(m.size());
  const double re = s.real(), im = s.imag();
  if (im == 0) {
    for (std::size_t k = 0; k < n; ++k) o[k] += re * x[k];
    return;
  }
  for (std::size_t k = 0; k < n; k += 2) {
    o[k] += re * x[k] - im * x[k + 1];
    o[k + 1] += re * x[k + 1] + im * x[k];
  }
}

/// A state as written; `ground`, `excited` and `thermal` depend on the space's Hamiltonian.
struct StateSpec {
  enum class Kind { ground, excited, thermal, fixed };
  Kind kind = Kind::ground;
  double beta = 0;  ///< thermal
  Matrix fixed;     ///< fixed: mixed, ket or matrix, resolved and normalised
  bool needs_hamiltonian() const { return kind != Kind::fixed; }
};
/// Parses and validates a state in `space`, written at `path`.
StateSpec parse_state(const Json& value, const std::string& path, const Space& space);

/// A state resolved against its space's Hamiltonian `h` (Hermitian). `shared` > 1 when a
/// named "ground"/"excited" is not one state: that many levels share the energy (rho is then
/// not set).
struct ResolvedState {
  Matrix rho;
  int shared = 1;
};
ResolvedState resolve_state(const StateSpec& state, const Matrix& h);

/// (S (x) A)[i dA + a][j dA + b] = S[i][j] A[a][b].
Matrix kron(const Matrix& s, const Matrix& a);

/// A number in a message: up to 6 significant digits.
std::string number_text(double x);

}  // namespace general_detail

/// A parsed general model (docs/spec.md, "General models") and the rules that turn a sweep
/// point into its record. Built by spec_detail::parse_general; immutable afterwards, except
/// for a cache of the last point's swept components (guarded by a mutex).
class GeneralModel {
 public:
  const core::GeneralShape& shape() const { return shape_; }
  const GeneralModelInfo& info() const { return info_; }
  /// Writes point `index` (mixed radix over the axes, last axis fastest) into `record`.
  void write_point(std::uint64_t index, double* record) const;

  // What a point is made of. The members below are filled by the parser (general_spec.cpp).

  /// A swept parameter.
  enum class LeafKind {
    dt,
    collisions,
    initial_state,    ///< a list of states
    initial_thermal,  ///< initial_state.thermal
    ancilla_beta,
    ancilla_state,    ///< a list of states
    ancilla_thermal,  ///< ancilla.state.thermal
    term,             ///< a term of an operator written as terms
    strength,         ///< coupling.terms[t].strength
    elsewhere,        ///< a path of another bath (several baths: each bath's model has a
                      ///< leaf per swept path, so that the leaves line up with the axes)
  };
  struct Leaf {
    LeafKind kind = LeafKind::dt;
    std::string location;  ///< in the spec: sweep.grid["system.hamiltonian.jz"]
    int axis = -1;
    int target = -1;  ///< term: the operator (kSystemH, kAncillaH, coupling factor); strength: t
    std::string term_key;                            ///< term: its key ("jz*jz")
    general_detail::RowMatrix product;               ///< term: its matrix
    std::vector<general_detail::Complex> complexes;  ///< term, strength
    std::vector<double> numbers;                     ///< dt, collisions, beta, thermal
    std::vector<general_detail::StateSpec> states;   ///< state lists
  };
  /// Operators by number: the Hamiltonians, then the factors of coupling term t.
  static constexpr int kSystemH = 0, kAncillaH = 1;
  static int system_factor(int t) { return 2 + 2 * t; }
  static int ancilla_factor(int t) { return 3 + 2 * t; }

  general_detail::Space system, ancilla;
  /// Several baths (docs/spec.md, "Several baths"): this model is bath `bath_index` of the
  /// spec, its ancilla and coupling written under `prefix` ("baths[1]."; "" for the one-bath
  /// form). The model of bath 0 holds the others and writes the record's header and system.
  std::string prefix;
  int bath_index = 0;
  std::vector<std::shared_ptr<GeneralModel>> other_baths;
  std::vector<std::string> bath_names;  ///< every bath's name (empty: the one-bath form)
  core::Rounds rounds = core::Rounds::sequential;
  std::vector<general_detail::Operator> operators;  ///< by number (above)
  std::vector<general_detail::Complex> strengths;   ///< per coupling term
  general_detail::StateSpec initial_state;
  bool initial_state_default = true;  ///< not written: "ground"
  bool gibbs = true;                  ///< the ancilla is given by beta
  double beta = 1;
  general_detail::StateSpec ancilla_state;
  core::Scaling scaling = core::Scaling::ultrastrong;
  core::Dynamics dynamics = core::Dynamics::collision;
  double dt = 0.05;
  std::int64_t collisions = 1000;
  std::vector<Leaf> leaves;
  std::vector<std::size_t> axis_sizes;

  /// Precomputes what does not depend on swept values and runs the checks that span several
  /// values (throwing SpecError). Called once per bath by the parser.
  void finish();
  /// Fills shape and info of the whole spec (this is bath 0's model; other_baths finished).
  void finish_spec();

 private:
  /// pick[leaf]: the value index of each leaf (every leaf that a component reads is set).
  using Pick = std::vector<int>;
  general_detail::Matrix operator_at(int op, const Pick& pick) const;
  /// operator_at and the total coupling at pick, into a buffer (no allocation once sized).
  void operator_into(int op, const Pick& pick, general_detail::RowMatrix& out) const;
  void coupling_into(const Pick& pick, general_detail::RowMatrix& out) const;
  /// The state spec of the system (ancilla) at pick.
  general_detail::StateSpec state_at(bool system_side, const Pick& pick) const;
  double beta_at(const Pick& pick) const;

  /// The axes any of whose leaves satisfy `touches`, in axis order.
  template <typename Touches>
  std::vector<int> axes_where(Touches touches) const;
  /// Calls f(pick, digits) for every combination of values of `axes` (the first one slowest),
  /// with pick set for the leaves on those axes. Stops when f returns false.
  template <typename F>
  void for_each_combination(const std::vector<int>& axes, F f) const;
  /// "sweep.grid[\"a\"][2]" and, after it, " (with ...)" naming the other leaves of `axes`
  /// at their values, restricted to the leaves satisfying `touches`.
  template <typename Touches>
  std::pair<std::string, std::string> where(const std::vector<int>& axes,
                                            const std::vector<std::size_t>& digits,
                                            Touches touches) const;

  /// Writes this bath's block (and, for bath 0, the header and the system) of point `index`.
  void write_own(std::uint64_t index, double* record) const;
  void check_hamiltonian(int op);
  void check_coupling();
  void check_state(bool system_side);

  struct SweptOperator {
    general_detail::RowMatrix fixed;  ///< the unswept terms (or the matrix)
    std::vector<int> leaves;          ///< term leaves
  };
  std::vector<SweptOperator> swept_;
  std::vector<int> strength_leaf_;  ///< per coupling term: its strength leaf or -1
  std::vector<char> term_swept_;    ///< per coupling term: a leaf touches it
  /// Per coupling term whose strength alone is swept: S_t (x) A_t, once (else empty).
  std::vector<general_detail::RowMatrix> term_kron_;
  general_detail::RowMatrix fixed_coupling_;  ///< sum of the unswept terms
  std::vector<int> leaf_axis_;                ///< leaves[l].axis

  /// Components of a record and the axes each depends on.
  enum Component { kHs, kRho0, kHa, kCoupling, kRhoA, kComponents };
  std::vector<int> component_axes_[kComponents];
  general_detail::RowMatrix base_[kComponents];

  core::GeneralShape shape_;
  GeneralModelInfo info_;

  struct Cache {
    std::vector<std::size_t> digits;
    Pick pick;
    std::vector<std::size_t> key[kComponents];
    bool valid[kComponents] = {};
    general_detail::RowMatrix value[kComponents];
  };
  mutable std::mutex mutex_;
  mutable Cache cache_;
};

}  // namespace qcm
