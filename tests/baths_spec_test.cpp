// @file tests: several baths in a general spec (docs/spec.md, "Several baths"): where each
// bath's ancilla, coupling and swept values land in a point's record, and that a list of one
// bath is exactly the one-bath form. The errors go through the real CLI (tests/data/bad-specs,
// baths-*).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <complex>
#include <string>
#include <vector>

#include "qcm/spec.hpp"

namespace qcm {
namespace {

using Matrix = Eigen::MatrixXcd;

std::vector<double> record_of(const Spec& spec, std::uint64_t index) {
  const core::GeneralShape shape = spec.general_shape();
  std::vector<double> data(shape.stride, -12345.0);  // every double is written
  spec.general_point(index, data.data());
  for (double x : data) EXPECT_NE(x, -12345.0);
  return data;
}

Matrix matrix_at(const std::vector<double>& data, const core::GeneralShape& shape,
                 std::size_t offset, int n) {
  const core::GeneralRecord r{data.data(), &shape};
  Matrix m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const auto e = r.entry(offset, n, i, j);
      m(i, j) = {e.re, e.im};
    }
  return m;
}

/// A qubit between a hot qubit bath (exchange coupling) and a cold qutrit bath (sx x jx).
constexpr const char* kBridge = R"({
  "system": {"space": "qubit", "hamiltonian": {"sz": 0.5}},
  "baths": [
    {"name": "hot", "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 0.2},
     "coupling": {"terms": [{"system": {"sp": 1}, "ancilla": {"sm": 1}},
                            {"system": {"sm": 1}, "ancilla": {"sp": 1}}]}},
    {"name": "cold", "ancilla": {"space": {"spin": 1}, "hamiltonian": {"jz": 1}, "state": "mixed"},
     "coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"jx": 1}, "strength": 0.5}]}}
  ],
  "rounds": "simultaneous",
  "dt": 0.1, "collisions": 20)";

TEST(BathsSpec, EachBathHasItsBlock) {
  const Spec spec = parse_spec_text(std::string(kBridge) + "}");
  const core::GeneralShape shape = spec.general_shape();
  EXPECT_EQ(shape.baths, 2);
  EXPECT_EQ(shape.ancilla_dim[0], 2);
  EXPECT_EQ(shape.ancilla_dim[1], 3);
  EXPECT_EQ(shape.rounds, core::Rounds::simultaneous);
  const GeneralModelInfo& info = spec.general_info();
  ASSERT_EQ(info.baths.size(), 2u);
  EXPECT_TRUE(info.named_baths);
  EXPECT_EQ(info.baths[0].name, "hot");
  EXPECT_EQ(info.baths[1].name, "cold");
  EXPECT_TRUE(info.baths[0].gibbs);
  EXPECT_FALSE(info.baths[1].gibbs);

  const std::vector<double> r = record_of(spec, 0);
  const core::GeneralRecord view{r.data(), &shape};
  EXPECT_EQ(view.dt(), 0.1);
  EXPECT_EQ(view.collisions(), 20);
  EXPECT_EQ(view.beta(0), 0.2);
  EXPECT_TRUE(std::isnan(view.beta(1)));
  // Bath 0: H_A = sz / 2, V = sp (x) sm + sm (x) sp (index 0 = excited).
  Matrix h_hot = Matrix::Zero(2, 2);
  h_hot(0, 0) = 0.5;
  h_hot(1, 1) = -0.5;
  EXPECT_EQ(matrix_at(r, shape, shape.bath[0] + core::GeneralShape::kBathHamiltonian, 2), h_hot);
  Matrix v_hot = Matrix::Zero(4, 4);
  v_hot(1, 2) = v_hot(2, 1) = 1;  // |e g><g e| and its adjoint
  EXPECT_EQ(matrix_at(r, shape, shape.bath_coupling(0), 4), v_hot);
  // Bath 1: a spin 1 (m = 1, 0, -1), H_A = jz, rho_A = 1/3, V = 0.5 sx (x) jx.
  const Matrix h_cold =
      matrix_at(r, shape, shape.bath[1] + core::GeneralShape::kBathHamiltonian, 3);
  EXPECT_EQ(h_cold, Matrix(Eigen::Vector3cd(1, 0, -1).asDiagonal()));
  EXPECT_LE((matrix_at(r, shape, shape.bath_state(1), 3) - Matrix::Identity(3, 3) / 3.0)
                .cwiseAbs()
                .maxCoeff(),
            1e-15);
  const Matrix v_cold = matrix_at(r, shape, shape.bath_coupling(1), 6);
  const double jx01 = std::sqrt(0.5);                                   // <1|jx|0> for spin 1
  EXPECT_NEAR(v_cold(0 * 3 + 0, 1 * 3 + 1).real(), 0.5 * jx01, 1e-15);  // sx|e><g| (x) jx
  EXPECT_NEAR(v_cold(0 * 3 + 0, 0 * 3 + 1).real(), 0.0, 1e-15);         // no sz part
}

TEST(BathsSpec, SweepPathsReachIntoBathsByIndex) {
  const Spec spec = parse_spec_text(std::string(kBridge) + R"(,
    "sweep": {"grid": {"baths[0].ancilla.beta": [0.1, 0.3],
                       "baths[1].coupling.terms[0].strength": [0.5, 2.0],
                       "baths[1].ancilla.state": ["mixed", "ground"]}}})");
  const core::GeneralShape shape = spec.general_shape();
  ASSERT_EQ(spec.point_count(), 8u);
  EXPECT_EQ(spec.swept_columns(), (std::vector<std::string>{"baths[0].ancilla.beta",
                                                            "baths[1].coupling.terms[0].strength",
                                                            "baths[1].ancilla.state"}));
  const std::vector<double> base = record_of(spec, 0);
  for (std::uint64_t i = 0; i < 8; ++i) {
    const std::vector<double> r = record_of(spec, i);
    const core::GeneralRecord view{r.data(), &shape};
    EXPECT_EQ(view.beta(0), i / 4 == 0 ? 0.1 : 0.3) << i;
    // Bath 0's coupling and bath 1's Hamiltonian are never touched.
    EXPECT_EQ(matrix_at(r, shape, shape.bath_coupling(0), 4),
              matrix_at(base, shape, shape.bath_coupling(0), 4));
    const double s = (i / 2) % 2 == 0 ? 0.5 : 2.0;
    EXPECT_NEAR(matrix_at(r, shape, shape.bath_coupling(1), 6)(0, 4).real(), s * std::sqrt(0.5),
                1e-15)
        << i;
    const Matrix rho_a = matrix_at(r, shape, shape.bath_state(1), 3);
    if (i % 2 == 0) {
      EXPECT_NEAR(rho_a(0, 0).real(), 1.0 / 3, 1e-15) << i;
    } else {  // the ground level of jz is m = -1, the last basis vector
      EXPECT_NEAR(rho_a(2, 2).real(), 1.0, 1e-15) << i;
      EXPECT_NEAR(rho_a(0, 0).real(), 0.0, 1e-15) << i;
    }
  }
}

TEST(BathsSpec, OneBathListIsExactlyTheOneBathForm) {
  const std::string system =
      R"("system": {"space": {"spin": 1}, "hamiltonian": {"jz": 1, "jx*jx": 0.3}},
    "initial_state": {"thermal": 0.7}, "dt": 0.05, "collisions": 7, "scaling": "fixed")";
  const std::string ancilla =
      R"("ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.8}, "beta": 1.5})";
  const std::string coupling =
      R"("coupling": {"terms": [{"system": {"jp": 1}, "ancilla": {"sm": 0.4}},
                                {"system": {"jm": 1}, "ancilla": {"sp": 0.4}}]})";
  const std::string sweep = R"("sweep": {"grid": {"dt": [0.05, 0.1]}})";
  const Spec one =
      parse_spec_text("{" + system + ", " + ancilla + ", " + coupling + ", " + sweep + "}");
  const Spec listed = parse_spec_text("{" + system + R"(, "baths": [{"name": "bath", )" + ancilla +
                                      ", " + coupling + "}], " + sweep + "}");
  EXPECT_FALSE(one.general_info().named_baths);
  EXPECT_TRUE(listed.general_info().named_baths);
  EXPECT_EQ(listed.general_info().baths[0].name, "bath");
  ASSERT_EQ(one.general_shape().stride, listed.general_shape().stride);
  ASSERT_EQ(one.point_count(), listed.point_count());
  for (std::uint64_t i = 0; i < one.point_count(); ++i)
    EXPECT_EQ(record_of(one, i), record_of(listed, i)) << "point " << i;  // bit for bit
}

}  // namespace
}  // namespace qcm
