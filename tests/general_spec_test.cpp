// @file tests: the general form of a spec (docs/spec.md, "General models"): the operator
// catalogues, states, records of sweep points, and every error kind.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <vector>

#include "qcm/spec.hpp"

namespace qcm {
namespace {

using Complex = std::complex<double>;
using Matrix = Eigen::MatrixXcd;
constexpr double kInf = std::numeric_limits<double>::infinity();
const Complex kI(0, 1);

/// The SpecError message for `text`, or "(accepted)".
std::string error_of(std::string_view text) {
  try {
    parse_spec_text(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

/// Checks that `text` is refused with a message that starts with `prefix` and contains each
/// of `words`.
void expect_error(std::string_view text, std::string_view prefix,
                  std::vector<std::string> words = {}) {
  const std::string message = error_of(text);
  EXPECT_TRUE(message.starts_with(prefix))
      << "spec:     " << text << "\nmessage:  " << message << "\nexpected: " << prefix << "...";
  for (const std::string& w : words)
    EXPECT_NE(message.find(w), std::string::npos)
        << "spec:     " << text << "\nmessage:  " << message << "\nmissing:  " << w;
}

/// One record of a general spec, read back as matrices.
struct Record {
  core::GeneralShape shape;
  std::vector<double> data;

  core::GeneralRecord view() const { return {data.data(), &shape}; }
  Matrix matrix(std::size_t offset, int n) const {
    Matrix m(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const auto e = view().entry(offset, n, i, j);
        m(i, j) = {e.re, e.im};
      }
    return m;
  }
  Matrix h_s() const { return matrix(shape.h_s, shape.system_dim); }
  Matrix rho0() const { return matrix(shape.rho0, shape.system_dim); }
  Matrix h_a() const {
    return matrix(shape.bath[0] + core::GeneralShape::kBathHamiltonian, shape.ancilla_dim[0]);
  }
  Matrix v() const { return matrix(shape.bath_coupling(0), shape.collision_dim(0)); }
  Matrix rho_a() const { return matrix(shape.bath_state(0), shape.ancilla_dim[0]); }
  double beta() const { return view().beta(0); }
};

Record record_of(const Spec& spec, std::uint64_t index) {
  Record r;
  r.shape = spec.general_shape();
  r.data.assign(r.shape.stride, -12345.0);  // every double is written
  spec.general_point(index, r.data.data());
  for (double x : r.data) EXPECT_NE(x, -12345.0);
  return r;
}

Record record_of(std::string_view text, std::uint64_t index = 0) {
  return record_of(parse_spec_text(text), index);
}

/// A spec whose system has `space` and Hamiltonian `h` (a qubit ancilla, a mixed initial state).
std::string system_spec(const std::string& space, const std::string& h,
                        const std::string& extra = "") {
  return R"({"system": {"space": )" + space + R"(, "hamiltonian": )" + h +
         R"(}, "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1},)"
         R"( "initial_state": "mixed")" +
         extra + "}";
}

/// The system Hamiltonian of system_spec(space, h).
Matrix system_operator(const std::string& space, const std::string& h) {
  return record_of(system_spec(space, h)).h_s();
}

/// A system operator that need not be Hermitian, read back through the coupling
/// V = op (x) sm + op^dagger (x) sp (a qubit ancilla): V[2i + 1][2j] = op_ij.
Matrix system_factor(const std::string& space, const std::string& op, const std::string& adjoint) {
  const Record r = record_of(system_spec(space, "{}",
                                         R"(, "coupling": {"terms": [{"system": )" + op +
                                             R"(, "ancilla": {"sm": 1}}, {"system": )" + adjoint +
                                             R"(, "ancilla": {"sp": 1}}]})"));
  const Matrix v = r.v();
  const int d = r.shape.system_dim;
  Matrix m(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) m(i, j) = v(2 * i + 1, 2 * j);
  return m;
}

void expect_near(const Matrix& a, const Matrix& b, double tolerance = 1e-14) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  EXPECT_LE((a - b).cwiseAbs().maxCoeff(), tolerance) << "got\n" << a << "\nexpected\n" << b;
}

Matrix diag(std::vector<Complex> d) {
  Matrix m = Matrix::Zero(d.size(), d.size());
  for (std::size_t i = 0; i < d.size(); ++i) m(i, i) = d[i];
  return m;
}

// ---------------------------------------------------------------------------
// Operator catalogues
// ---------------------------------------------------------------------------

TEST(GeneralSpecOperators, SpinAlgebra) {
  for (const double j : {0.5, 1.0, 1.5, 2.0}) {
    SCOPED_TRACE("j = " + std::to_string(j));
    const std::string space = R"({"spin": )" + std::to_string(j) + "}";
    const int d = static_cast<int>(std::lround(2 * j + 1));
    const Matrix jx = system_operator(space, R"({"jx": 1})");
    const Matrix jy = system_operator(space, R"({"jy": 1})");
    const Matrix jz = system_operator(space, R"({"jz": 1})");
    const Matrix jp = system_factor(space, R"({"jp": 1})", R"({"jm": 1})");
    const Matrix jm = system_factor(space, R"({"jm": 1})", R"({"jp": 1})");
    ASSERT_EQ(jz.rows(), d);
    // Basis m = j, j-1, ..., -j.
    for (int i = 0; i < d; ++i) EXPECT_EQ(jz(i, i), Complex(j - i, 0));
    for (int i = 1; i < d; ++i) {
      const double m = j - i;
      EXPECT_NEAR(jp(i - 1, i).real(), std::sqrt(j * (j + 1) - m * (m + 1)), 1e-14);
    }
    expect_near(jm, jp.adjoint());
    expect_near(jx, (jp + jm) / 2.0);
    expect_near(jy, (jp - jm) / (2.0 * kI));
    expect_near(jx * jy - jy * jx, kI * jz, 1e-13);
    expect_near(jy * jz - jz * jy, kI * jx, 1e-13);
    const Matrix casimir = jx * jx + jy * jy + jz * jz;
    expect_near(casimir, j * (j + 1) * Matrix::Identity(d, d), 1e-13);
    // The same through the spec's products.
    expect_near(system_operator(space, R"({"jx*jx": 1, "jy*jy": 1, "jz*jz": 1})"), casimir, 1e-13);
    expect_near(
        system_factor(space, R"({"jx*jy": 1, "jy*jx": -1})", R"({"jy*jx": 1, "jx*jy": -1})"),
        kI * jz, 1e-13);
    expect_near(system_operator(space, R"({"id": 2})"), 2.0 * Matrix::Identity(d, d));
  }
  EXPECT_EQ(parse_spec_text(system_spec(R"({"spin": 1.5})", "{}")).general_info().system_space,
            "spin 3/2");
  EXPECT_EQ(parse_spec_text(system_spec(R"({"spin": 2})", "{}")).general_info().system_space,
            "spin 2");
}

TEST(GeneralSpecOperators, OscillatorIsTruncated) {
  const std::string space = R"({"oscillator": 5})";
  const Matrix a = system_factor(space, R"({"a": 1})", R"({"ad": 1})");
  const Matrix ad = system_factor(space, R"({"ad": 1})", R"({"a": 1})");
  for (int n = 1; n < 5; ++n) EXPECT_NEAR(a(n - 1, n).real(), std::sqrt(n), 1e-15);
  expect_near(ad, a.adjoint());
  // [a, ad] = 1 except on the last level (the truncation).
  expect_near(a * ad - ad * a, diag({1, 1, 1, 1, -4}), 1e-13);
  expect_near(system_factor(space, R"({"a*ad": 1, "ad*a": -1})", R"({"a*ad": 1, "ad*a": -1})"),
              diag({1, 1, 1, 1, -4}), 1e-13);
  expect_near(system_operator(space, R"({"n": 1})"), diag({0, 1, 2, 3, 4}));
  expect_near(system_operator(space, R"({"ad*a": 1})"), diag({0, 1, 2, 3, 4}), 1e-13);
  expect_near(system_operator(space, R"({"a*ad": 1})"), diag({1, 2, 3, 4, 0}), 1e-13);
  expect_near(system_operator(space, R"({"x": 1})"), (a + ad) / std::sqrt(2.0));
  expect_near(system_operator(space, R"({"p": 1})"), kI * (ad - a) / std::sqrt(2.0));
  const Spec spec = parse_spec_text(system_spec(space, "{}"));
  const GeneralModelInfo& info = spec.general_info();
  EXPECT_EQ(info.system_dim, 5);
  EXPECT_EQ(info.system_space, "oscillator (5 levels)");
}

TEST(GeneralSpecOperators, QubitConventions) {
  const std::string q = R"("qubit")";
  Matrix sp(2, 2), sx(2, 2), sy(2, 2);
  sp << 0, 1, 0, 0;  // |e><g| with index 0 = |e>
  sx << 0, 1, 1, 0;
  sy << 0, -kI, kI, 0;
  expect_near(system_factor(q, R"({"sp": 1})", R"({"sm": 1})"), sp);
  expect_near(system_factor(q, R"({"sm": 1})", R"({"sp": 1})"), sp.adjoint());
  expect_near(system_operator(q, R"({"sz": 1})"), diag({1, -1}));
  expect_near(system_operator(q, R"({"sx": 1})"), sx);
  expect_near(system_operator(q, R"({"sy": 1})"), sy);
  expect_near(system_factor(q, R"({"sp*sm": 1})", R"({"sp*sm": 1})"), diag({1, 0}));  // |e><e|
  // Complex coefficients, and the sum of terms.
  expect_near(system_operator(q, R"({"sx": [0.5, 0], "sz": 2, "id": -1})"),
              0.5 * sx + diag({1, -3}));
  // The ground state of (w/2) sz is |g>, index 1.
  expect_near(record_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 0.5}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 1}})")
                  .rho0(),
              diag({0, 1}));
  const Spec spec = parse_spec_text(system_spec(q, "{}"));
  const GeneralModelInfo& info = spec.general_info();
  EXPECT_EQ(info.system_space, "qubit");
  EXPECT_EQ(info.system_dim, 2);
}

TEST(GeneralSpecOperators, LevelsAndMatrices) {
  const Matrix h = system_operator(R"({"levels": 3})",
                                   R"({"matrix": [[1, [0, -1], 0], [[0, 1], 2, 0], [0, 0, 3]]})");
  Matrix expected(3, 3);
  expected << 1, -kI, 0, kI, 2, 0, 0, 0, 3;
  expect_near(h, expected);
  EXPECT_EQ(parse_spec_text(system_spec(R"({"levels": 3})", "{}")).general_info().system_space,
            "3 levels");
  expect_near(system_operator(R"({"levels": 3})", R"({"id": 1})"), Matrix::Identity(3, 3));
  expect_near(system_operator(R"({"levels": 4})", "{}"), Matrix::Zero(4, 4));
}

// ---------------------------------------------------------------------------
// The record of a point
// ---------------------------------------------------------------------------

constexpr const char* kExample = R"({
  "system":  {"space": {"spin": 1}, "hamiltonian": {"jz": 1.0, "jz*jz": 0.3}},
  "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 2.0},
  "coupling": {"terms": [
    {"system": {"jx": 1.0}, "ancilla": {"sx": 1.0}},
    {"system": {"jy": 1.0}, "ancilla": {"sy": 1.0}, "strength": 0.5}]},
  "initial_state": "ground",
  "dt": 0.05, "collisions": 1000, "scaling": "ultrastrong"
})";

TEST(GeneralSpecRecord, ExampleByHand) {
  const Spec spec = parse_spec_text(kExample);
  EXPECT_EQ(spec.form, SpecForm::general);
  EXPECT_EQ(spec.point_count(), 1u);
  EXPECT_THROW(spec.point(0), std::logic_error);
  EXPECT_EQ(spec.base.dt, 0.05);
  EXPECT_EQ(spec.base.collisions, 1000);
  const GeneralModelInfo& info = spec.general_info();
  EXPECT_EQ(info.system_dim, 3);
  EXPECT_EQ(info.system_space, "spin 1");
  ASSERT_EQ(info.baths.size(), 1u);
  EXPECT_EQ(info.baths[0].name, "");
  EXPECT_EQ(info.baths[0].ancilla_dim, 2);
  EXPECT_TRUE(info.baths[0].gibbs);
  const core::GeneralShape shape = spec.general_shape();
  EXPECT_EQ(shape.system_dim, 3);
  EXPECT_EQ(shape.baths, 1);
  EXPECT_EQ(shape.ancilla_dim[0], 2);
  EXPECT_EQ(shape.stride, 4 + 2 * 9 + 2 * 9 + 1 + 2 * 4 + 2 * 36 + 2 * 4);

  const Record r = record_of(spec, 0);
  EXPECT_EQ(r.view().dt(), 0.05);
  EXPECT_EQ(r.view().collisions(), 1000);
  EXPECT_EQ(r.view().scaling(), core::Scaling::ultrastrong);
  EXPECT_EQ(r.view().dynamics(), core::Dynamics::collision);
  // H_S = jz + 0.3 jz^2 = diag(1.3, 0, -0.7); its ground state is m = -1 (index 2).
  expect_near(r.h_s(), diag({1.3, 0, -0.7}));
  expect_near(r.rho0(), diag({0, 0, 1}), 1e-14);
  expect_near(r.h_a(), diag({0.5, -0.5}));
  EXPECT_EQ(r.beta(), 2.0);
  expect_near(r.rho_a(), Matrix::Zero(2, 2));
  // V = jx (x) sx + 0.5 jy (x) sy, row (i, a) = 2i + a. With jx_ij = 1/sqrt2 and
  // jy_ij sy_ab = -1/sqrt2 when i->j and a->b go the same way, +1/sqrt2 otherwise.
  const double same = 0.5 / std::sqrt(2.0), opposite = 1.5 / std::sqrt(2.0);
  Matrix v = Matrix::Zero(6, 6);
  v(0, 3) = same;
  v(1, 2) = opposite;
  v(2, 1) = opposite;
  v(3, 0) = same;
  v(2, 5) = same;
  v(3, 4) = opposite;
  v(4, 3) = opposite;
  v(5, 2) = same;
  expect_near(r.v(), v, 1e-15);
  EXPECT_THROW(spec.general_point(1, std::vector<double>(shape.stride).data()), std::out_of_range);
}

TEST(GeneralSpecRecord, HeaderOptionsAndNoCoupling) {
  const Record r = record_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": {"oscillator": 3}, "hamiltonian": {"n": 1}, "beta": "-inf"},
      "scaling": "fixed", "dynamics": "gksl", "dt": 0.2, "collisions": 7})");
  EXPECT_EQ(r.view().dt(), 0.2);
  EXPECT_EQ(r.view().collisions(), 7);
  EXPECT_EQ(r.view().scaling(), core::Scaling::fixed);
  EXPECT_EQ(r.view().dynamics(), core::Dynamics::gksl);
  EXPECT_EQ(r.beta(), -kInf);
  expect_near(r.v(), Matrix::Zero(6, 6));
  expect_near(r.h_a(), diag({0, 1, 2}));
  expect_near(record_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1}, "coupling": {"terms": []}})")
                  .v(),
              Matrix::Zero(4, 4));
  // Qubit-form specs have no general record.
  EXPECT_THROW(parse_spec_text("{}").general_shape(), std::logic_error);
  EXPECT_EQ(parse_spec_text("{}").form, SpecForm::qubit);
}

TEST(GeneralSpecRecord, CouplingTermsMayBeNonHermitianWhenTheirSumIs) {
  // Jaynes-Cummings: sp (x) sm + sm (x) sp, with complex strengths i and -i too.
  const Record r = record_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1},
      "coupling": {"terms": [{"system": {"sp": 1}, "ancilla": {"sm": 1}, "strength": [0, 1]},
                             {"system": {"sm": 1}, "ancilla": {"sp": 1}, "strength": [0, -1]}]}})");
  Matrix v = Matrix::Zero(4, 4);
  v(0 * 2 + 1, 1 * 2 + 0) = kI;   // |e g><g e|
  v(1 * 2 + 0, 0 * 2 + 1) = -kI;  // |g e><e g|
  expect_near(r.v(), v);
}

// ---------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------

/// rho0 of a qubit system with H = sz and `state`.
Matrix qubit_state(const std::string& state, const std::string& h = R"({"sz": 1})") {
  return record_of(R"({"system": {"space": "qubit", "hamiltonian": )" + h +
                   R"(}, "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1},)"
                   R"( "initial_state": )" +
                   state + "}")
      .rho0();
}

TEST(GeneralSpecStates, NamedThermalKetAndMatrix) {
  expect_near(qubit_state(R"("ground")"), diag({0, 1}));
  expect_near(qubit_state(R"("excited")"), diag({1, 0}));
  expect_near(qubit_state(R"("mixed")"), diag({0.5, 0.5}));
  // The eigenvectors of sx: ground (|e> - |g>)/sqrt2.
  Matrix minus(2, 2);
  minus << 0.5, -0.5, -0.5, 0.5;
  expect_near(qubit_state(R"("ground")", R"({"sx": 1})"), minus, 1e-14);
  const double pe = std::exp(-1.0) / (std::exp(-1.0) + std::exp(1.0));
  expect_near(qubit_state(R"({"thermal": 1})"), diag({pe, 1 - pe}), 1e-15);
  expect_near(qubit_state(R"({"thermal": -1})"), diag({1 - pe, pe}), 1e-15);
  expect_near(qubit_state(R"({"thermal": 0})"), diag({0.5, 0.5}), 1e-15);
  expect_near(qubit_state(R"({"thermal": "inf"})"), diag({0, 1}));
  expect_near(qubit_state(R"({"thermal": "+inf"})"), diag({0, 1}));
  expect_near(qubit_state(R"({"thermal": "-inf"})"), diag({1, 0}));
  expect_near(qubit_state(R"({"thermal": 800})"), diag({0, 1}));  // no overflow
  // A ket is normalised: (3|e> + 4i|g>)/5.
  Matrix ket(2, 2);
  ket << 9.0 / 25, 3.0 * -4.0 * kI / 25.0, 4.0 * kI * 3.0 / 25.0, 16.0 / 25;
  expect_near(qubit_state(R"({"ket": [3, [0, 4]]})"), ket, 1e-15);
  Matrix huge(2, 2);  // (3i|e> + 4i|g>)/5: huge amplitudes, a global phase
  huge << 9.0 / 25, 12.0 / 25, 12.0 / 25, 16.0 / 25;
  expect_near(qubit_state(R"({"ket": [[0, 3e300], [0, 4e300]]})"), huge, 1e-15);
  Matrix rho(2, 2);
  rho << 0.5, Complex(0, -0.5), Complex(0, 0.5), 0.5;
  expect_near(qubit_state(R"({"matrix": [[0.5, [0, -0.5]], [[0, 0.5], 0.5]]})"), rho);
}

TEST(GeneralSpecStates, DegenerateLevelsAndInfiniteBeta) {
  // H = -jz^2 of spin 1: m = +1 and -1 share the lowest energy.
  const std::string spin = R"({"system": {"space": {"spin": 1}, "hamiltonian": {"jz*jz": -1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1}, "initial_state": )";
  expect_near(record_of(spin + R"({"thermal": "inf"}})").rho0(), diag({0.5, 0, 0.5}), 1e-14);
  expect_near(record_of(spin + R"("excited"})").rho0(), diag({0, 1, 0}), 1e-14);
  expect_near(record_of(spin + R"("mixed"})").rho0(), Matrix::Identity(3, 3) / 3.0, 1e-15);
  expect_error(spin + R"("ground"})",
               R"(initial_state: "ground" is not one state: 2 levels share the lowest energy of )"
               "system.hamiltonian",
               {"thermal"});
  expect_error(R"({"system": {"space": {"spin": 1}, "hamiltonian": {}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1}})",
               R"(initial_state: the default initial state "ground" is not one state: 3 levels)",
               {"give initial_state explicitly"});
}

TEST(GeneralSpecStates, AncillaGivenByItsState) {
  const Spec spec = parse_spec_text(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": {"levels": 3}, "hamiltonian": {"matrix": [[0, 0, 0], [0, 1, 0], [0, 0, 2]]},
                  "state": {"ket": [1, 1, 0]}}})");
  EXPECT_FALSE(spec.general_info().baths[0].gibbs);
  const Record r = record_of(spec, 0);
  EXPECT_TRUE(std::isnan(r.beta()));
  EXPECT_FALSE(r.view().gibbs(0));
  Matrix rho = Matrix::Zero(3, 3);
  rho.topLeftCorner(2, 2).setConstant(0.5);
  expect_near(r.rho_a(), rho, 1e-15);
  const Record excited = record_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": {"oscillator": 4}, "hamiltonian": {"n": 1}, "state": "excited"}})");
  expect_near(excited.rho_a(), diag({0, 0, 0, 1}), 1e-14);
}

// ---------------------------------------------------------------------------
// Sweeps
// ---------------------------------------------------------------------------

TEST(GeneralSpecSweep, EveryLeafKindLandsInTheRecord) {
  const Spec spec = parse_spec_text(R"({
    "system":  {"space": {"spin": 1}, "hamiltonian": {"jz": 1.0, "jz*jz": 0.3}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 2.0},
    "coupling": {"terms": [
      {"system": {"jx": 1.0}, "ancilla": {"sx": 1.0}},
      {"system": {"jy": 1.0}, "ancilla": {"sy": 1.0}, "strength": 0.5}]},
    "initial_state": {"thermal": 1},
    "sweep": {"zip": {
      "ancilla.beta": [3, "inf"],
      "system.hamiltonian.jz": [2, [3, 0]],
      "system.hamiltonian[\"jz*jz\"]": [0, 1],
      "system.hamiltonian.jx": [0, 0.25],
      "ancilla.hamiltonian.sz": [1, 2],
      "coupling.terms[1].strength": [0, 2],
      "coupling.terms[0].system.jx": [0, 3],
      "coupling.terms[0].ancilla.sx": [5, 7],
      "dt": [0.1, 0.2],
      "collisions": [10, 20],
      "initial_state.thermal": [0, "inf"]}}})");
  ASSERT_EQ(spec.point_count(), 2u);
  ASSERT_EQ(spec.axes.size(), 1u);
  const SweepAxis& axis = spec.axes[0];
  EXPECT_EQ(axis.fields[0], Field::general_leaf);
  EXPECT_GE(axis.leaves[0], 0);
  EXPECT_EQ(axis.fields[8], Field::dt);
  EXPECT_EQ(axis.leaves[8], -1);
  EXPECT_EQ(axis.fields[9], Field::collisions);
  EXPECT_EQ(axis.numbers[1], (std::vector<double>{2, 3}));
  EXPECT_EQ(axis.numbers[0][1], kInf);
  EXPECT_EQ(spec.swept_value(1, 0), Json("inf"));

  const Matrix jz = diag({1, 0, -1});
  const Matrix jx = system_operator(R"({"spin": 1})", R"({"jx": 1})");
  const Matrix jy = system_operator(R"({"spin": 1})", R"({"jy": 1})");
  Matrix sx(2, 2), sy(2, 2);
  sx << 0, 1, 1, 0;
  sy << 0, -kI, kI, 0;
  const auto kron = [](const Matrix& s, const Matrix& a) {
    Matrix out(s.rows() * a.rows(), s.cols() * a.cols());
    for (int i = 0; i < s.rows(); ++i)
      for (int j = 0; j < s.cols(); ++j)
        out.block(i * a.rows(), j * a.cols(), a.rows(), a.cols()) = s(i, j) * a;
    return out;
  };

  const Record p0 = record_of(spec, 0);
  EXPECT_EQ(p0.beta(), 3.0);
  expect_near(p0.h_s(), 2.0 * jz);
  expect_near(p0.h_a(), diag({1, -1}));
  expect_near(p0.v(), 0.0 * kron(jx, 5.0 * sx), 1e-15);  // strength 0 and jx coefficient 0
  EXPECT_EQ(p0.view().dt(), 0.1);
  EXPECT_EQ(p0.view().collisions(), 10);
  expect_near(p0.rho0(), Matrix::Identity(3, 3) / 3.0, 1e-15);  // thermal at beta 0

  const Record p1 = record_of(spec, 1);
  EXPECT_EQ(p1.beta(), kInf);
  const Matrix h1 = 3.0 * jz + diag({1, 0, 1}) + 0.25 * jx;
  expect_near(p1.h_s(), h1, 1e-15);
  expect_near(p1.h_a(), diag({2, -2}));
  expect_near(p1.v(), kron(3.0 * jx, 7.0 * sx) + 2.0 * kron(jy, sy), 1e-14);
  EXPECT_EQ(p1.view().dt(), 0.2);
  EXPECT_EQ(p1.view().collisions(), 20);
  // The ground state of the swept H_S.
  Eigen::SelfAdjointEigenSolver<Matrix> es(h1);
  const Eigen::VectorXcd g = es.eigenvectors().col(0);
  expect_near(p1.rho0(), g * g.adjoint(), 1e-13);
  // Going back to point 0 gives its record again (the cache is keyed by the axis values).
  expect_near(record_of(spec, 0).h_s(), 2.0 * jz);
}

TEST(GeneralSpecSweep, GridOrderAndCaching) {
  const Spec spec = parse_spec_text(R"({
    "system": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1},
    "coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"sx": 1}}]},
    "sweep": {"grid": {"system.hamiltonian.sz": [1, -1],
                       "coupling.terms[0].strength": {"linspace": [0, 1, 3]},
                       "ancilla.beta": [0.5, 1.5]}}})");
  ASSERT_EQ(spec.point_count(), 12u);
  EXPECT_EQ(spec.swept_columns(),
            (std::vector<std::string>{"system.hamiltonian.sz", "coupling.terms[0].strength",
                                      "ancilla.beta"}));
  for (std::uint64_t i = 0; i < 12; ++i) {
    SCOPED_TRACE(i);
    const Record r = record_of(spec, i);
    const double sz = i < 6 ? 1 : -1, s = 0.5 * ((i / 2) % 3), beta = i % 2 ? 1.5 : 0.5;
    expect_near(r.h_s(), diag({sz, -sz}));
    // "ground" follows the swept Hamiltonian.
    expect_near(r.rho0(), sz > 0 ? diag({0, 1}) : diag({1, 0}), 1e-15);
    EXPECT_NEAR(r.v()(0, 3).real(), s, 1e-15);
    EXPECT_EQ(r.beta(), beta);
    EXPECT_EQ(spec.swept_value(i, 2).get<double>(), beta);
  }
  // Out of order, too.
  EXPECT_NEAR(record_of(spec, 11).v()(0, 3).real(), 1.0, 1e-15);
  EXPECT_NEAR(record_of(spec, 2).v()(0, 3).real(), 0.5, 1e-15);
  expect_near(record_of(spec, 2).h_s(), diag({1, -1}));
}

TEST(GeneralSpecSweep, StatesAndAncillaStates) {
  const Spec spec = parse_spec_text(R"({
    "system": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "state": {"thermal": 0}},
    "sweep": {"grid": {"initial_state": ["ground", "excited", {"ket": [1, 1]}, {"thermal": "-inf"}],
                       "ancilla.state.thermal": ["inf", 0]}}})");
  ASSERT_EQ(spec.point_count(), 8u);
  EXPECT_EQ(spec.axes[0].fields[0], Field::initial_state);
  EXPECT_TRUE(std::isnan(spec.axes[0].numbers[0][0]));
  Matrix plus(2, 2);
  plus << 0.5, 0.5, 0.5, 0.5;
  const Matrix states[] = {diag({0, 1}), diag({1, 0}), plus, diag({1, 0})};
  for (std::uint64_t i = 0; i < 8; ++i) {
    SCOPED_TRACE(i);
    const Record r = record_of(spec, i);
    expect_near(r.rho0(), states[i / 2], 1e-15);
    expect_near(r.rho_a(), i % 2 ? diag({0.5, 0.5}) : diag({0, 1}), 1e-15);
    EXPECT_TRUE(std::isnan(r.beta()));
  }
  // A list of ancilla states, the ancilla given by neither in the base.
  const Spec listed = parse_spec_text(R"({
    "system": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "sweep": {"grid": {"ancilla.state": ["excited", "mixed"]}}})");
  EXPECT_FALSE(listed.general_info().baths[0].gibbs);
  expect_near(record_of(listed, 0).rho_a(), diag({1, 0}), 1e-15);
  expect_near(record_of(listed, 1).rho_a(), diag({0.5, 0.5}), 1e-15);
  // ancilla.beta swept with no beta in the base makes a Gibbs ancilla.
  const Spec gibbs = parse_spec_text(R"({
    "system": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}},
    "sweep": {"zip": {"ancilla.beta": [1, 2]}}})");
  EXPECT_TRUE(gibbs.general_info().baths[0].gibbs);
  EXPECT_EQ(record_of(gibbs, 1).beta(), 2.0);
}

TEST(GeneralSpecSweep, ComplexValuesAndAbsentTerms) {
  // A term absent from the base; a complex coefficient in a Hermitian pair.
  const Spec spec = parse_spec_text(R"({
    "system": {"space": {"oscillator": 3}, "hamiltonian": {"n": 1}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1},
    "sweep": {"zip": {"system.hamiltonian.a": [[0, 1], 2], "system.hamiltonian.ad": [[0, -1], 2]}}})");
  EXPECT_TRUE(std::isnan(spec.axes[0].numbers[0][0]));  // a complex value has no number
  EXPECT_EQ(spec.axes[0].numbers[0][1], 2.0);
  const Matrix a = system_factor(R"({"oscillator": 3})", R"({"a": 1})", R"({"ad": 1})");
  expect_near(record_of(spec, 0).h_s(), diag({0, 1, 2}) + kI * a - kI * a.adjoint(), 1e-15);
  expect_near(record_of(spec, 1).h_s(), diag({0, 1, 2}) + 2.0 * (a + a.adjoint()), 1e-15);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

constexpr const char* kQubitAncilla =
    R"("ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "beta": 1})";

/// A qubit system (H = sz) and qubit ancilla, with more keys.
std::string qubits(const std::string& extra) {
  return R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}}, )" +
         std::string(kQubitAncilla) + (extra.empty() ? "" : ", " + extra) + "}";
}

TEST(GeneralSpecErrors, MixingTheForms) {
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}, "omega": 1}})",
               "system.omega: the general form (system.space) has no omega; write the energy "
               "levels in system.hamiltonian");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {}, "omega": 1, "beta": 1}})",
               "ancilla.omega: the general form (system.space) has no omega; write the energy "
               "levels in ancilla.hamiltonian");
  expect_error(qubits(R"("coupling": {"xx": 1})"),
               "coupling.xx: the general form (system.space) has no coupling components",
               {"write the coupling as coupling.terms"});
  expect_error(qubits(R"("coupling": {"alpha": 1})"), "coupling.alpha: the general form");
  expect_error(qubits(R"("sweep": {"grid": {"system.omega": [1]}})"),
               R"(sweep.grid["system.omega"]: the general form (system.space) has no omega)");
  expect_error(qubits(R"("sweep": {"grid": {"coupling.yy": [1]}})"),
               R"(sweep.grid["coupling.yy"]: the general form (system.space) has no coupling)");
  expect_error(qubits(R"("initial_state": {"bloch": [0, 0, 1]})"),
               "initial_state.bloch: the general form has no Bloch vectors");
  // General keys in a qubit-form spec.
  expect_error(R"({"coupling": {"terms": []}})",
               "coupling.terms: the qubit form (no system.space) has no coupling.terms",
               {"system.space", "system.hamiltonian"});
  expect_error(R"({"ancilla": {"space": "qubit"}})",
               "ancilla.space: the qubit form (no system.space) has no ancilla.space");
  expect_error(R"({"ancilla": {"omega": 1, "state": "ground"}})", "ancilla.state: the qubit form");
  expect_error(R"({"sweep": {"grid": {"system.hamiltonian.sz": [1]}}})",
               R"(sweep.grid["system.hamiltonian.sz"]: only the general form has this path)");
}

TEST(GeneralSpecErrors, RequiredKeys) {
  expect_error(R"({"system": {"space": "qubit"}})",
               R"(system: the general form needs both "space" and "hamiltonian"; missing )"
               R"("hamiltonian")");
  expect_error(R"({"system": {"hamiltonian": {}}})",
               R"(system: the general form needs both "space" and "hamiltonian"; missing "space")");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}}})",
               R"(ancilla: missing: the general form needs "ancilla")");
  expect_error(
      R"({"system": {"space": "qubit", "hamiltonian": {}}, "ancilla": {"space": "qubit"}})",
      R"(ancilla: missing key "hamiltonian")");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}},
      "ancilla": {"space": "qubit", "hamiltonian": {}, "beta": 1, "state": "mixed"}})",
               R"(ancilla: give exactly one of "beta")", {"not both"});
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}},
      "ancilla": {"space": "qubit", "hamiltonian": {}}})",
               R"(ancilla: give exactly one of "beta")", {"neither"});
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}},
      "ancilla": {"space": "qubit", "hamiltonian": {}, "bta": 1}})",
               R"(ancilla.bta: unknown key; did you mean "beta"?)");
  expect_error(qubits(R"("coupling": {"terms": {"system": {}}})"),
               "coupling.terms: expected a list of terms");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}}]})"),
               R"(coupling.terms[0]: missing key "ancilla")");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {}, "ancilla": {}, "strenght": 1}]})"),
               R"(coupling.terms[0].strenght: unknown key; did you mean "strength"?)");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {}, "ancilla": {}, "strength": "x"}]})"),
               R"(coupling.terms[0].strength: expected a finite number or [re, im], got "x")");
}

TEST(GeneralSpecErrors, Spaces) {
  const auto with_space = [](const std::string& space) {
    return R"({"system": {"space": )" + space + R"(, "hamiltonian": {}}})";
  };
  expect_error(with_space(R"({"spin": 0.7})"),
               "system.space.spin: expected a positive half-integer j (1/2, 1, 3/2, ...",
               {"got 0.7"});
  expect_error(with_space(R"({"spin": 0})"), "system.space.spin: expected a positive half-integer");
  expect_error(with_space(R"({"spin": -1})"),
               "system.space.spin: expected a positive half-integer");
  expect_error(with_space(R"({"spin": "1/2"})"), "system.space.spin: expected a positive half");
  expect_error(
      with_space(R"({"oscillator": 1})"),
      "system.space.oscillator: expected an integer >= 2 (the number of Fock levels kept), "
      "got 1");
  expect_error(with_space(R"({"oscillator": 2.5})"),
               "system.space.oscillator: expected an integer");
  expect_error(with_space(R"({"levels": 1})"), "system.space.levels: expected an integer >= 2");
  expect_error(
      with_space(R"("boson")"),
      R"(system.space: expected "qubit", {"spin": j}, {"oscillator": N} or {"levels": d}, )"
      R"(got "boson")");
  expect_error(with_space(R"("qbit")"), R"(system.space: expected "qubit")",
               {R"(did you mean "qubit"?)"});
  expect_error(with_space(R"({"spinn": 1})"),
               R"(system.space.spinn: unknown key; did you mean "spin"?)",
               {"spin, oscillator, levels"});
  expect_error(with_space(R"({"spin": 1, "levels": 3})"), R"(system.space: expected "qubit")");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {}},
      "ancilla": {"space": {"oscillator": 0}, "hamiltonian": {}, "beta": 1}})",
               "ancilla.space.oscillator: expected an integer >= 2");
}

TEST(GeneralSpecErrors, Operators) {
  const auto with_h = [](const std::string& space, const std::string& h) {
    return R"({"system": {"space": )" + space + R"(, "hamiltonian": )" + h + "}, " + kQubitAncilla +
           "}";
  };
  expect_error(with_h(R"({"spin": 1})", R"({"jw": 1})"),
               R"(system.hamiltonian.jw: unknown operator "jw"; did you mean "jx"? (operators of )"
               "system.space, spin 1: id, jx, jy, jz, jp, jm");
  expect_error(with_h(R"({"spin": 1})", R"({"jz*sz": 1})"),
               R"(system.hamiltonian["jz*sz"]: unknown operator "sz")", {"jx, jy, jz"});
  expect_error(with_h(R"({"spin": 1})", R"({"jz**jz": 1})"),
               R"(system.hamiltonian["jz**jz"]: an empty factor in "jz**jz")");
  expect_error(with_h(R"({"levels": 3})", R"({"sx": 1})"),
               R"(system.hamiltonian.sx: unknown operator "sx")", {"id;", "{\"matrix\": rows}"});
  expect_error(with_h(R"({"oscillator": 4})", R"({"ad*b": 1})"),
               R"(system.hamiltonian["ad*b"]: unknown operator "b")", {"id, a, ad, n, x, p"});
  expect_error(with_h(R"({"spin": 1})", R"({"jz": "1"})"),
               R"(system.hamiltonian.jz: expected a finite number or [re, im], got "1")");
  expect_error(with_h(R"({"spin": 1})", R"({"jz": [1, 2, 3]})"),
               "system.hamiltonian.jz: expected a finite number or [re, im], got [1,2,3]");
  expect_error(with_h(R"({"spin": 1})", R"({"jz": [1, "i"]})"),
               R"(system.hamiltonian.jz[1]: expected a finite number, got "i")");
  expect_error(with_h(R"({"spin": 1})", R"([1])"),
               "system.hamiltonian: expected an object of terms");
  expect_error(with_h(R"({"spin": 1})", R"({"matrix": [[1]], "jz": 1})"),
               R"(system.hamiltonian: expected either {"matrix": rows} or terms, not both)");
  expect_error(with_h(R"({"spin": 1})", R"({"matrix": [[1, 0], [0, 1]]})"),
               "system.hamiltonian.matrix: expected 3 rows of 3 entries (the space has 3 levels)");
  expect_error(
      with_h(R"({"spin": 1})", R"({"matrix": [[1, 0, 0], [0, 1], [0, 0, 1]]})"),
      "system.hamiltonian.matrix[1]: expected a row of 3 entries (the space has 3 levels)");
  expect_error(with_h(R"("qubit")", R"({"matrix": [[1, 0], [0, "x"]]})"),
               R"(system.hamiltonian.matrix[1][1]: expected a finite number or [re, im], got "x")");
  expect_error(with_h(R"("qubit")", R"({"matrix": [[1, 0], [0, [1, null]]]})"),
               "system.hamiltonian.matrix[1][1][1]: expected a finite number, got null");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"jx": 1}}]})"),
               R"(coupling.terms[0].ancilla.jx: unknown operator "jx"; did you mean "sx"?)",
               {"operators of ancilla.space, qubit"});
}

TEST(GeneralSpecErrors, Hermiticity) {
  expect_error(qubits("").replace(qubits("").find(R"({"sz": 1})"), 9, R"({"sp": 0.5})"),
               "system.hamiltonian: a Hamiltonian must be Hermitian (max |H - H^dagger| = 0.5)");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sy": [0, 1]}, "beta": 1}})",
               "ancilla.hamiltonian: a Hamiltonian must be Hermitian (max |H - H^dagger| = 2)");
  expect_error(
      R"({"system": {"space": {"levels": 2}, "hamiltonian": {"matrix": [[0, 1], [0.9, 0]]}},)" +
          std::string(kQubitAncilla) + "}",
      "system.hamiltonian: a Hamiltonian must be Hermitian (max |H - H^dagger| = 0.1)");
  // Within 1e-12 relative to the largest entry.
  EXPECT_EQ(error_of(R"({"system": {"space": {"levels": 2}, "hamiltonian": {"matrix": [[0, 1e6],
      [1.0000000000000001e6, 0]]}},)" +
                     std::string(kQubitAncilla) + "}"),
            "(accepted)");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sp": 1}, "ancilla": {"sm": 1}}]})"),
               "coupling: the total coupling V = sum_t s_t S_t (x) A_t must be Hermitian (max |V - "
               "V^dagger| = 1)");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"sx": 1},
                                                 "strength": [1, 1]}]})"),
               "coupling: the total coupling V", {"= 2)"});
}

TEST(GeneralSpecErrors, States) {
  expect_error(qubits(R"("initial_state": {"ket": [1, 0, 0]})"),
               "initial_state.ket: expected a list of 2 amplitudes (the space has 2 levels), got "
               "[1,0,0]");
  expect_error(qubits(R"("initial_state": {"ket": [0, [0, 0]]})"),
               "initial_state.ket: the zero ket is not a state");
  expect_error(qubits(R"("initial_state": {"ket": [1, "a"]})"),
               R"(initial_state.ket[1]: expected a finite number or [re, im], got "a")");
  expect_error(qubits(R"("initial_state": {"matrix": [[0.5, 0.1], [0, 0.5]]})"),
               "initial_state.matrix: a density matrix must be Hermitian (max |rho - rho^dagger| = "
               "0.1)");
  expect_error(qubits(R"("initial_state": {"matrix": [[1.5, 0], [0, -0.5]]})"),
               "initial_state.matrix: a density matrix must be positive semidefinite (its smallest "
               "eigenvalue is -0.5)");
  expect_error(qubits(R"("initial_state": {"matrix": [[1, 0], [0, 1]]})"),
               "initial_state.matrix: a density matrix must have trace 1 (this one has trace 2)");
  expect_error(qubits(R"("initial_state": {"matrix": [[1, 0]]})"),
               "initial_state.matrix: expected 2 rows of 2 entries (the space has 2 levels)");
  expect_error(qubits(R"("initial_state": {"thermal": "hot"})"),
               R"(initial_state.thermal: expected a finite number or "inf", "+inf", "-inf")");
  expect_error(qubits(R"("initial_state": "grond")"),
               R"(initial_state: expected one of "ground", "excited", "mixed"; did you mean )"
               R"("ground"?)");
  expect_error(qubits(R"("initial_state": {"ket": [1, 0], "thermal": 1})"),
               R"(initial_state: expected "ground", "excited", "mixed", {"thermal": beta})");
  expect_error(qubits(R"("initial_state": {"kett": [1, 0]})"),
               R"(initial_state.kett: unknown key; did you mean "ket"?)");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"id": 1}, "state": "excited"}})",
               R"(ancilla.state: "excited" is not one state: 2 levels share the highest energy of )"
               "ancilla.hamiltonian");
  // A ket within rounding of the unit trace is accepted; positivity within 1e-12.
  EXPECT_EQ(error_of(qubits(R"("initial_state": {"matrix": [[1.0000000000001, 0], [0, -1e-13]]})")),
            "(accepted)");
}

TEST(GeneralSpecErrors, SweepPaths) {
  expect_error(
      qubits(R"("sweep": {"grid": {"system.hamiltonain.sz": [1]}})"),
      R"(sweep.grid["system.hamiltonain.sz"]: unknown sweep path; did you mean )"
      R"("system.hamiltonian.sz"? (sweepable in this model: dt, collisions, initial_state, )"
      "initial_state.thermal, ancilla.beta, system.hamiltonian.sz, ancilla.hamiltonian.sz");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"sx": 1}}]},
                         "sweep": {"grid": {"scaling": [1]}})"),
               "sweep.grid.scaling: unknown sweep path (sweepable in this model:",
               {"coupling.terms[0].strength", "coupling.terms[0].system.sx",
                "coupling.terms[0].ancilla.sx"});
  expect_error(qubits(R"("sweep": {"grid": {"system.hamiltonian.sq": [1]}})"),
               R"(sweep.grid["system.hamiltonian.sq"]: unknown operator "sq")",
               {"operators of system.space, qubit"});
  expect_error(qubits(R"("sweep": {"grid": {"system.hamiltonian.sz*sz": [1]}})"),
               R"(sweep.grid["system.hamiltonian.sz*sz"]: write this path as )"
               R"(system.hamiltonian["sz*sz"])");
  expect_error(qubits(R"("sweep": {"grid": {"system.hamiltonian[\"sz\"]": [1]}})"),
               R"(sweep.grid["system.hamiltonian[\"sz\"]"]: write this path as )"
               "system.hamiltonian.sz");
  expect_error(qubits(R"("sweep": {"grid": {"system.space.spin": [1]}})"),
               R"(sweep.grid["system.space.spin"]: the space cannot be swept)",
               {"write one spec per space"});
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"matrix": [[1, 0], [0, -1]]}}, )" +
                   std::string(kQubitAncilla) +
                   R"(, "sweep": {"grid": {"system.hamiltonian.matrix[0][0]": [1]}}})",
               R"(sweep.grid["system.hamiltonian.matrix[0][0]"]: matrix entries cannot be swept; )"
               "write system.hamiltonian as terms");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"matrix": [[1, 0], [0, -1]]}}, )" +
                   std::string(kQubitAncilla) +
                   R"(, "sweep": {"grid": {"system.hamiltonian.sz": [1]}}})",
               R"(sweep.grid["system.hamiltonian.sz"]: system.hamiltonian is written as a matrix)");
  expect_error(qubits(R"("sweep": {"grid": {"initial_state.ket[0]": [1]}})"),
               R"(sweep.grid["initial_state.ket[0]"]: the entries of a ket or matrix cannot be )"
               "swept; sweep initial_state with a list of states instead");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"sx": 1}}]},
                         "sweep": {"grid": {"coupling.terms[1].strength": [1]}})"),
               R"(sweep.grid["coupling.terms[1].strength"]: coupling.terms[1] does not exist: )"
               "coupling has 1 term");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "state": "mixed"},
      "sweep": {"grid": {"ancilla.beta": [1]}}})",
               R"(sweep.grid["ancilla.beta"]: the ancilla is given by ancilla.state, so it has no )"
               "beta to sweep");
  expect_error(qubits(R"("sweep": {"grid": {"ancilla.state.thermal": [1]}})"),
               R"(sweep.grid["ancilla.state.thermal"]: the ancilla is given by ancilla.beta (a )"
               "Gibbs state), so ancilla.state cannot be swept");
  expect_error(
      qubits(R"("sweep": {"grid": {"initial_state": ["ground"], "initial_state.thermal": [1]}})"),
      R"(sweep.grid["initial_state.thermal"]: initial_state is swept already by )"
      "sweep.grid.initial_state");
  expect_error(
      qubits(R"("initial_state": "mixed", "sweep": {"grid": {"initial_state.thermal": [1]}})"),
      R"(sweep.grid["initial_state.thermal"]: initial_state is not written as )"
      R"({"thermal": beta})");
  expect_error(qubits(R"("sweep": {"grid": {"initial_state": {"linspace": [0, 1, 2]}}})"),
               "sweep.grid.initial_state: initial_state values must be a list of states");
}

TEST(GeneralSpecErrors, SweptValues) {
  expect_error(qubits(R"("sweep": {"grid": {"system.hamiltonian.sz": [1, "x"]}})"),
               R"(sweep.grid["system.hamiltonian.sz"][1]: expected a finite number or [re, im], )"
               R"(got "x")");
  expect_error(qubits(R"("sweep": {"grid": {"ancilla.beta": [1, "hot"]}})"),
               R"(sweep.grid["ancilla.beta"][1]: expected a finite number or "inf")");
  expect_error(qubits(R"("sweep": {"grid": {"dt": [0.1, 0]}})"),
               "sweep.grid.dt[1]: expected a finite number > 0, got 0");
  expect_error(qubits(R"("sweep": {"grid": {"collisions": {"linspace": [1, 2, 3]}}})"),
               "sweep.grid.collisions[1]: expected an integer >= 1, got 1.5");
  expect_error(qubits(R"("sweep": {"grid": {"initial_state": ["ground", {"ket": [0, 0]}]}})"),
               "sweep.grid.initial_state[1].ket: the zero ket is not a state");
  expect_error(qubits(R"("sweep": {"zip": {"system.hamiltonian.sz": [1, 2], "dt": [0.1]}})"),
               "sweep.zip.dt: zip lists must have equal lengths");
}

TEST(GeneralSpecErrors, PropertiesOfSeveralValuesOnTheSubGrid) {
  // The Hamiltonian of each point of the sub-grid of its axes.
  expect_error(
      R"({"system": {"space": {"spin": 0.5}, "hamiltonian": {"jz": 1}}, )" +
          std::string(kQubitAncilla) +
          R"(, "sweep": {"grid": {"dt": [0.1, 0.2], "system.hamiltonian.jp": [0, 1, 0.5]}}})",
      R"(sweep.grid["system.hamiltonian.jp"][1]: makes system.hamiltonian non-Hermitian )"
      "(max |H - H^dagger| = 1)");
  // Two axes that fix each other: only the combinations with jp != jm fail.
  expect_error(
      R"({"system": {"space": {"spin": 0.5}, "hamiltonian": {"jz": 1}}, )" +
          std::string(kQubitAncilla) +
          R"(, "sweep": {"grid": {"system.hamiltonian.jp": [1, 2], "system.hamiltonian.jm": [1, 2]}}})",
      R"(sweep.grid["system.hamiltonian.jp"][0]: makes system.hamiltonian non-Hermitian )"
      R"((max |H - H^dagger| = 1) (with sweep.grid["system.hamiltonian.jm"][1]))");
  EXPECT_EQ(
      error_of(
          R"({"system": {"space": {"spin": 0.5}, "hamiltonian": {"jz": 1}}, )" +
          std::string(kQubitAncilla) +
          R"(, "sweep": {"zip": {"system.hamiltonian.jp": [1, 2], "system.hamiltonian.jm": [1, 2]}}})"),
      "(accepted)");
  // A non-Hermitian base term is fine when a sweep replaces it on every point.
  EXPECT_EQ(error_of(R"({"system": {"space": "qubit", "hamiltonian": {"sp": 1, "sm": 0}}, )" +
                     std::string(kQubitAncilla) +
                     R"(, "sweep": {"grid": {"system.hamiltonian.sm": [1]}}})"),
            "(accepted)");
  // The total coupling.
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sp": 1}, "ancilla": {"sm": 1}},
                                                 {"system": {"sm": 1}, "ancilla": {"sp": 1}}]},
                         "sweep": {"grid": {"coupling.terms[1].strength": [1, 0.5]}})"),
               R"(sweep.grid["coupling.terms[1].strength"][1]: makes the total coupling V )"
               "non-Hermitian (max |V - V^dagger| = 0.5)");
  expect_error(qubits(R"("coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"sx": 1}}]},
                         "sweep": {"grid": {"coupling.terms[0].ancilla.sx": [[1, 0], [1, 1]]}})"),
               R"(sweep.grid["coupling.terms[0].ancilla.sx"][1]: makes the total coupling V )"
               "non-Hermitian");
  // "ground" when the Hamiltonian is swept, and in a list of states.
  expect_error(qubits(R"("sweep": {"grid": {"system.hamiltonian.sz": [1, 0, -1]}})"),
               R"(sweep.grid["system.hamiltonian.sz"][1]: initial_state "ground" is not one state )"
               "at this point: 2 levels share the lowest energy of system.hamiltonian");
  expect_error(R"({"system": {"space": "qubit", "hamiltonian": {"id": 1}}, )" +
                   std::string(kQubitAncilla) +
                   R"(, "sweep": {"grid": {"initial_state": ["mixed", "excited"]}}})",
               R"(sweep.grid.initial_state[1]: initial_state "excited" is not one state at this )"
               "point: 2 levels share the highest energy");
  expect_error(
      R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1}, "state": "ground"},
      "sweep": {"grid": {"ancilla.hamiltonian.sx": [0, 1], "ancilla.hamiltonian.sz": [1, 0]}}})",
      R"(sweep.grid["ancilla.hamiltonian.sx"][0]: ancilla.state "ground" is not one state )"
      R"(at this point: 2 levels share the lowest energy of ancilla.hamiltonian (with )"
      R"(sweep.grid["ancilla.hamiltonian.sz"][1]))");
  // Thermal states and a Gibbs ancilla need no single level.
  EXPECT_EQ(error_of(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 1}},
      "ancilla": {"space": "qubit", "hamiltonian": {"id": 1}, "beta": "inf"},
      "initial_state": {"thermal": "inf"}, "sweep": {"grid": {"system.hamiltonian.sz": [1, 0]}}})"),
            "(accepted)");
}

}  // namespace
}  // namespace qcm
