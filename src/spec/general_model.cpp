// @file spec layer: the algebra of the general form (docs/spec.md, "General models"): spaces
// and their operators, operators and states as written, named states resolved against a
// Hamiltonian.
#include "spec/general_model.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>

#include "qcm/core/tolerances.hpp"
#include "spec/spec_detail.hpp"

namespace qcm::general_detail {

using spec_detail::fail;
using spec_detail::index_path;
using spec_detail::key_path;

namespace {

constexpr std::string_view kQubitNames[] = {"id", "sx", "sy", "sz", "sp", "sm"};
constexpr std::string_view kSpinNames[] = {"id", "jx", "jy", "jz", "jp", "jm"};
constexpr std::string_view kOscillatorNames[] = {"id", "a", "ad", "n", "x", "p"};
constexpr std::string_view kLevelsNames[] = {"id"};

constexpr const char* kSpaceForms = R"(expected "qubit", {"spin": j}, {"oscillator": N} or )"
                                    R"({"levels": d})";

/// The number of levels of a space, as an integer >= 2 (oscillator, levels).
int level_count(const Json& value, const std::string& path, const char* what) {
  bool ok = false;
  double x = 0;
  if (value.is_number()) {
    x = value.get<double>();
    ok = std::isfinite(x) && x >= 2 && x == std::floor(x) && x <= INT_MAX;
  }
  if (!ok) fail(path, std::string("expected an integer >= 2 (") + what + ")", value);
  return static_cast<int>(x);
}

/// A d x d matrix of entries (numbers or [re, im]).
Matrix parse_matrix(const Json& rows, const std::string& path, int dim, const std::string& why) {
  const std::string size = std::to_string(dim);
  if (!rows.is_array() || rows.size() != static_cast<std::size_t>(dim)) {
    fail(path, "expected " + size + " rows of " + size + " entries (" + why + ")", rows);
  }
  Matrix m(dim, dim);
  for (int i = 0; i < dim; ++i) {
    const std::string row_path = index_path(path, i);
    const Json& row = rows[i];
    if (!row.is_array() || row.size() != static_cast<std::size_t>(dim)) {
      fail(row_path, "expected a row of " + size + " entries (" + why + ")", row);
    }
    for (int j = 0; j < dim; ++j) m(i, j) = complex_value(row[j], index_path(row_path, j));
  }
  return m;
}

/// Eigen-decomposition of the Hermitian part of h (ascending eigenvalues).
Eigen::SelfAdjointEigenSolver<Matrix> eigen(const Matrix& h) {
  return Eigen::SelfAdjointEigenSolver<Matrix>(Matrix((h + h.adjoint()) / 2.0));
}

/// Levels within the degeneracy tolerance of `reference` (core::Tolerances).
int levels_at(const Eigen::VectorXd& energies, double reference) {
  const double largest = energies.size() ? energies.cwiseAbs().maxCoeff() : 0.0;
  const double tolerance = core::Tolerances<double>::degenerate_level * largest;
  int count = 0;
  for (Eigen::Index k = 0; k < energies.size(); ++k)
    if (std::abs(energies[k] - reference) <= tolerance) ++count;
  return count;
}

}  // namespace

std::span<const std::string_view> Space::names() const {
  switch (kind) {
    case SpaceKind::qubit:
      return kQubitNames;
    case SpaceKind::spin:
      return kSpinNames;
    case SpaceKind::oscillator:
      return kOscillatorNames;
    case SpaceKind::levels:
      break;
  }
  return kLevelsNames;
}

std::string Space::size_text() const {
  return "the space has " + std::to_string(dim) + " levels";
}

Matrix Space::named(std::string_view name) const {
  const Complex i_unit(0, 1);
  if (name == "id") return Matrix::Identity(dim, dim);
  Matrix m = Matrix::Zero(dim, dim);
  switch (kind) {
    case SpaceKind::qubit:  // index 0 = |e>, 1 = |g>
      if (name == "sx") {
        m(0, 1) = m(1, 0) = 1;
      } else if (name == "sy") {
        m(0, 1) = -i_unit;
        m(1, 0) = i_unit;
      } else if (name == "sz") {
        m(0, 0) = 1;
        m(1, 1) = -1;
      } else if (name == "sp") {
        m(0, 1) = 1;  // |e><g|
      } else if (name == "sm") {
        m(1, 0) = 1;
      }
      return m;
    case SpaceKind::spin: {  // index k has m = j - k
      const double j = two_j / 2.0;
      Matrix jp = Matrix::Zero(dim, dim);
      for (int k = 1; k < dim; ++k) {
        const double mk = j - k;  // jp |m> = sqrt(j(j+1) - m(m+1)) |m+1>, |m+1> is index k-1
        jp(k - 1, k) = std::sqrt(j * (j + 1) - mk * (mk + 1));
      }
      if (name == "jz") {
        for (int k = 0; k < dim; ++k) m(k, k) = j - k;
        return m;
      }
      if (name == "jp") return jp;
      if (name == "jm") return jp.adjoint();
      if (name == "jx") return (jp + jp.adjoint()) / 2.0;
      if (name == "jy") return (jp - jp.adjoint()) / (2.0 * i_unit);
      return m;
    }
    case SpaceKind::oscillator: {  // Fock levels 0 .. dim - 1, truncated
      Matrix a = Matrix::Zero(dim, dim);
      for (int n = 1; n < dim; ++n) a(n - 1, n) = std::sqrt(static_cast<double>(n));
      if (name == "a") return a;
      if (name == "ad") return a.adjoint();
      if (name == "n") {
        for (int n = 0; n < dim; ++n) m(n, n) = n;
        return m;
      }
      if (name == "x") return (a + a.adjoint()) / std::sqrt(2.0);
      if (name == "p") return i_unit * (a.adjoint() - a) / std::sqrt(2.0);
      return m;
    }
    case SpaceKind::levels:
      break;
  }
  return m;
}

Space parse_space(const Json& value, const std::string& path) {
  static constexpr std::string_view kForms[] = {"spin", "oscillator", "levels"};
  static constexpr std::string_view kQubit[] = {"qubit"};
  Space space;
  space.path = path;
  if (value.is_string()) {
    if (value.get_ref<const std::string&>() != "qubit") {
      fail(path,
           kSpaceForms + spec_detail::did_you_mean(value.get_ref<const std::string&>(), kQubit),
           value);
    }
    space.kind = SpaceKind::qubit;
    space.dim = 2;
    space.label = "qubit";
    return space;
  }
  if (!value.is_object()) fail(path, kSpaceForms, value);
  spec_detail::check_object(value, path, kForms);
  if (value.size() != 1) fail(path, kSpaceForms, value);
  const std::string& form = value.begin().key();
  const Json& size = value.begin().value();
  const std::string size_path = key_path(path, form);
  if (form == "spin") {
    bool ok = false;
    double two_j = 0;
    if (size.is_number()) {
      two_j = 2 * size.get<double>();
      ok = std::isfinite(two_j) && two_j >= 1 && two_j == std::floor(two_j) && two_j < INT_MAX;
    }
    if (!ok) {
      fail(size_path, "expected a positive half-integer j (1/2, 1, 3/2, ... written 0.5, 1, 1.5)",
           size);
    }
    space.kind = SpaceKind::spin;
    space.two_j = static_cast<int>(two_j);
    space.dim = space.two_j + 1;
    space.label = "spin " + (space.two_j % 2 == 0 ? std::to_string(space.two_j / 2)
                                                  : std::to_string(space.two_j) + "/2");
  } else if (form == "oscillator") {
    space.kind = SpaceKind::oscillator;
    space.dim = level_count(size, size_path, "the number of Fock levels kept");
    space.label = "oscillator (" + std::to_string(space.dim) + " levels)";
  } else {
    space.kind = SpaceKind::levels;
    space.dim = level_count(size, size_path, "the number of levels");
    space.label = std::to_string(space.dim) + " levels";
  }
  return space;
}

Matrix term_matrix(const Space& space, std::string_view key, const std::string& path) {
  const auto names = space.names();
  const auto list = [&] {
    std::string text = " (operators of " + space.path + ", " + space.label + ": " +
                       spec_detail::join(names) + "; a product joins names with \"*\"";
    if (space.kind == SpaceKind::levels) text += "; write other operators as {\"matrix\": rows}";
    return text + ")";
  };
  Matrix product;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = std::min(key.find('*', begin), key.size());
    const std::string_view name = key.substr(begin, end - begin);
    if (name.empty()) {
      fail(path, "an empty factor in \"" + std::string(key) + "\"" + list());
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      fail(path, "unknown operator \"" + std::string(name) + "\"" +
                     spec_detail::did_you_mean(name, names) + list());
    }
    const Matrix factor = space.named(name);
    product = product.size() == 0 ? factor : Matrix(product * factor);
    if (end == key.size()) break;
    begin = end + 1;
  }
  return product;
}

Complex complex_value(const Json& value, const std::string& path) {
  if (value.is_number()) {
    const double x = value.get<double>();
    if (std::isfinite(x)) return {x, 0};
  } else if (value.is_array() && value.size() == 2) {
    return {spec_detail::finite_number(value[0], index_path(path, 0)),
            spec_detail::finite_number(value[1], index_path(path, 1))};
  }
  fail(path, "expected a finite number or [re, im]", value);
}

Operator parse_operator(const Json& value, const std::string& path, const Space& space) {
  Operator op;
  op.path = path;
  if (!value.is_object()) {
    fail(path, R"(expected an object of terms {"name": coefficient, ...} or {"matrix": rows})",
         value);
  }
  if (value.contains("matrix")) {
    if (value.size() != 1) {
      fail(path, R"(expected either {"matrix": rows} or terms, not both)", value);
    }
    op.is_matrix = true;
    op.value =
        parse_matrix(value.at("matrix"), key_path(path, "matrix"), space.dim, space.size_text());
    return op;
  }
  op.value = Matrix::Zero(space.dim, space.dim);
  for (const auto& [key, coefficient] : value.items()) {
    const std::string term_path = key_path(path, key);
    Term term;
    term.key = key;
    term.product = term_matrix(space, key, term_path);
    term.coefficient = complex_value(coefficient, term_path);
    op.value += term.coefficient * term.product;
    op.terms.push_back(std::move(term));
  }
  return op;
}

StateSpec parse_state(const Json& value, const std::string& path, const Space& space) {
  static constexpr std::string_view kNamed[] = {"ground", "excited", "mixed"};
  static constexpr std::string_view kForms[] = {"thermal", "ket", "matrix"};
  StateSpec state;
  const int d = space.dim;
  if (value.is_string()) {
    const std::string_view name = spec_detail::choice(value, path, kNamed);
    if (name == "ground") {
      state.kind = StateSpec::Kind::ground;
    } else if (name == "excited") {
      state.kind = StateSpec::Kind::excited;
    } else {
      state.kind = StateSpec::Kind::fixed;
      state.fixed = Matrix::Identity(d, d) / static_cast<double>(d);
    }
    return state;
  }
  if (value.is_object() && value.contains("bloch")) {
    fail(key_path(path, "bloch"),
         R"(the general form has no Bloch vectors; write {"ket": [c0, c1, ...]} or )"
         R"({"matrix": rows})");
  }
  if (!value.is_object() || value.size() != 1) {
    fail(path,
         R"(expected "ground", "excited", "mixed", {"thermal": beta}, {"ket": [c0, c1, ...]} )"
         R"(or {"matrix": rows})",
         value);
  }
  spec_detail::check_object(value, path, kForms);
  const std::string& form = value.begin().key();
  const Json& body = value.begin().value();
  const std::string body_path = key_path(path, form);
  if (form == "thermal") {
    state.kind = StateSpec::Kind::thermal;
    state.beta = spec_detail::beta_value(body, body_path);
    return state;
  }
  state.kind = StateSpec::Kind::fixed;
  if (form == "ket") {
    if (!body.is_array() || body.size() != static_cast<std::size_t>(d)) {
      fail(body_path,
           "expected a list of " + std::to_string(d) + " amplitudes (" + space.size_text() + ")",
           body);
    }
    Eigen::VectorXcd ket(d);
    for (int k = 0; k < d; ++k) ket[k] = complex_value(body[k], index_path(body_path, k));
    // Scale by the largest real or imaginary part first so that huge amplitudes do not
    // overflow the norm.
    const double scale =
        std::max(ket.real().cwiseAbs().maxCoeff(), ket.imag().cwiseAbs().maxCoeff());
    if (!(scale > 0)) fail(body_path, "the zero ket is not a state", body);
    for (int k = 0; k < d; ++k) ket[k] = {ket[k].real() / scale, ket[k].imag() / scale};
    ket.normalize();
    state.fixed = ket * ket.adjoint();
    return state;
  }
  Matrix rho = parse_matrix(body, body_path, d, space.size_text());
  const double defect = hermiticity_defect(rho);
  if (!is_hermitian(rho, defect)) {
    fail(body_path, "a density matrix must be Hermitian (max |rho - rho^dagger| = " +
                        number_text(defect) + ")");
  }
  rho = (rho + rho.adjoint()) / 2.0;
  const double trace = rho.trace().real();
  if (!(std::abs(trace - 1) <= kMatrixTolerance)) {
    fail(body_path,
         "a density matrix must have trace 1 (this one has trace " + number_text(trace) + ")");
  }
  const double smallest = eigen(rho).eigenvalues().minCoeff();
  if (smallest < -kMatrixTolerance) {
    fail(body_path, "a density matrix must be positive semidefinite (its smallest eigenvalue is " +
                        number_text(smallest) + ")");
  }
  state.fixed = rho / trace;
  return state;
}

ResolvedState resolve_state(const StateSpec& state, const Matrix& h) {
  ResolvedState out;
  if (state.kind == StateSpec::Kind::fixed) {
    out.rho = state.fixed;
    return out;
  }
  const auto solver = eigen(h);
  const Eigen::VectorXd& e = solver.eigenvalues();
  const Matrix& v = solver.eigenvectors();
  const Eigen::Index d = e.size();
  Eigen::VectorXd weight = Eigen::VectorXd::Zero(d);
  const bool low = state.kind == StateSpec::Kind::ground ||
                   (state.kind == StateSpec::Kind::thermal && state.beta > 0);
  if (state.kind != StateSpec::Kind::thermal || std::isinf(state.beta)) {
    // A projector on the lowest (highest) level, divided by its degeneracy.
    const double reference = low ? e[0] : e[d - 1];
    const int shared = levels_at(e, reference);
    if (state.kind != StateSpec::Kind::thermal && shared > 1) {
      out.shared = shared;
      return out;
    }
    const double tolerance = core::Tolerances<double>::degenerate_level * e.cwiseAbs().maxCoeff();
    for (Eigen::Index k = 0; k < d; ++k)
      if (std::abs(e[k] - reference) <= tolerance) weight[k] = 1.0 / shared;
  } else {
    // exp(-beta (E - E_ref)) with E_ref the level that keeps every exponent <= 0.
    const double reference = state.beta >= 0 ? e[0] : e[d - 1];
    for (Eigen::Index k = 0; k < d; ++k) weight[k] = std::exp(-state.beta * (e[k] - reference));
    weight /= weight.sum();
  }
  out.rho = v * weight.cast<Complex>().asDiagonal() * v.adjoint();
  return out;
}

Matrix kron(const Matrix& s, const Matrix& a) {
  const Eigen::Index ds = s.rows(), da = a.rows();
  Matrix out(ds * da, ds * da);
  for (Eigen::Index i = 0; i < ds; ++i)
    for (Eigen::Index j = 0; j < ds; ++j) out.block(i * da, j * da, da, da) = s(i, j) * a;
  return out;
}

std::string number_text(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", x);
  return text;
}

}  // namespace qcm::general_detail
