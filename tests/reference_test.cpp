// @file tests: the reference engine against docs/physics.md's identities, closed forms and
// independently computed values (tests/data/reference-points.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "backends/backends.hpp"
#include "driver/random_points.hpp"
#include "qcm/columns.hpp"
#include "reference/reference_engine.hpp"
#include "support/compare.hpp"

namespace qcm {
namespace {

using reference::CollisionThermo;
using reference::Matrix;
using reference::Model;

constexpr double kInf = std::numeric_limits<double>::infinity();

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// A point with every one of the nine J_lm in [-2, 2], beta finite (both signs,
// and 0 one time in ten), a random scaling and a Bloch vector inside the ball.
core::PointParams random_point(std::mt19937_64& rng) {
  RandomPointOptions options;
  options.infinite_betas = false;
  options.coupling_range = 2.0;
  options.max_omega = 3.0;
  options.max_dt = 0.5;
  return qcm::random_point(rng, options);
}

Matrix random_hermitian(std::mt19937_64& rng, Eigen::Index d, double scale) {
  Matrix a(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) a(i, j) = {uniform(rng, -1, 1), uniform(rng, -1, 1)};
  return 0.5 * scale * (a + a.adjoint());
}

Matrix random_state(std::mt19937_64& rng, Eigen::Index d) {
  Matrix a(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) a(i, j) = {uniform(rng, -1, 1), uniform(rng, -1, 1)};
  const Matrix rho = a * a.adjoint();
  return rho / rho.trace().real();
}

// A qutrit system with a qubit ancilla (or the other way round), random Hamiltonians.
Model random_general_model(std::mt19937_64& rng, Eigen::Index d_s, Eigen::Index d_a, double beta) {
  return reference::make_model(random_hermitian(rng, d_s, 2.0), random_hermitian(rng, d_a, 2.0),
                               random_hermitian(rng, d_s * d_a, 3.0), beta,
                               uniform(rng, 0.01, 0.5));
}

core::PointParams exchange_point(double j_xx, double j_yy, double omega_s, double omega_a,
                                 double beta, double dt, std::int64_t n) {
  core::PointParams p;
  p.coupling[0][0] = j_xx;
  p.coupling[1][1] = j_yy;
  p.omega_s = omega_s;
  p.omega_a = omega_a;
  p.beta = beta;
  p.dt = dt;
  p.collisions = n;
  return p;
}

// Runs one point through the reference backend.
ChunkResult run_one(const core::PointParams& p, RunRequest request = {}) {
  ChunkResult out;
  make_reference_backend()->run(std::span(&p, 1), request, out);
  return out;
}

// The per-collision identities of docs/physics.md §3, on n collisions from rho.
void expect_identities(const Model& m, Matrix rho, int n, bool finite_beta) {
  for (int k = 0; k < n; ++k) {
    const CollisionThermo c = reference::collide(m, rho);
    EXPECT_NEAR(c.delta_energy, c.work - c.heat, 1e-12) << "first law, collision " << k;
    if (finite_beta) {
      EXPECT_GE(c.entropy_production, -1e-12) << "collision " << k;
      EXPECT_NEAR(c.entropy_production, c.mutual_information + c.ancilla_relative_entropy, 1e-12)
          << "Sigma = I + D, collision " << k;
    }
    rho = c.rho_next;
  }
}

TEST(ReferenceEngine, FirstLawAndEntropyProductionIdentitiesOnRandomQubitPoints) {
  std::mt19937_64 rng(20200101);
  for (int i = 0; i < 300; ++i) {
    const core::PointParams p = random_point(rng);
    SCOPED_TRACE("random point " + std::to_string(i) + ", beta " + std::to_string(p.beta));
    expect_identities(reference::make_qubit_model(p), reference::qubit_state(p.bloch0), 20, true);
  }
}

TEST(ReferenceEngine, FirstLawAndEntropyProductionIdentitiesInGeneralDimension) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100; ++i) {
    const Eigen::Index d_s = i % 2 == 0 ? 3 : 2, d_a = i % 2 == 0 ? 2 : 3;
    const double beta = i % 5 == 0 ? 0.0 : uniform(rng, -4.0, 4.0);
    SCOPED_TRACE("random model " + std::to_string(i));
    expect_identities(random_general_model(rng, d_s, d_a, beta), random_state(rng, d_s), 20, true);
  }
}

TEST(ReferenceEngine, FirstLawHoldsAtInfiniteBeta) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 50; ++i) {
    core::PointParams p = random_point(rng);
    p.beta = i % 2 == 0 ? kInf : -kInf;
    expect_identities(reference::make_qubit_model(p), reference::qubit_state(p.bloch0), 20, false);
  }
}

TEST(ReferenceEngine, StateStaysPhysicalAfterTenThousandCollisions) {
  std::mt19937_64 rng(3);
  std::vector<std::pair<Model, Matrix>> cases;
  for (int i = 0; i < 2; ++i) {
    const core::PointParams p = random_point(rng);
    cases.emplace_back(reference::make_qubit_model(p), reference::qubit_state(p.bloch0));
  }
  cases.emplace_back(random_general_model(rng, 3, 2, 0.7), random_state(rng, 3));
  cases.emplace_back(random_general_model(rng, 2, 3, -1.3), random_state(rng, 2));
  for (auto& [model, rho] : cases) {
    for (int k = 0; k < 10000; ++k) {
      const Matrix next = reference::collide(model, rho).rho_next;
      ASSERT_NEAR(next.trace().real(), rho.trace().real(), 1e-14) << "collision " << k;
      rho = next;
    }
    // U is unitary to ~1e-15, and the trace is the one direction the map does
    // not contract, so its rounding adds up over the 10^4 collisions.
    EXPECT_NEAR(rho.trace().real(), 1.0, 1e-10);
    EXPECT_NEAR(rho.trace().imag(), 0.0, 1e-12);
    EXPECT_LE((rho - rho.adjoint()).cwiseAbs().maxCoeff(), 1e-12);
    const Eigen::VectorXd lambda = Eigen::SelfAdjointEigenSolver<Matrix>(rho).eigenvalues();
    EXPECT_GE(lambda.minCoeff(), -1e-12);
  }
}

TEST(ReferenceEngine, GibbsStateOfTheAncilla) {
  // Qubit: p_e = (1 - tanh(beta omega/2))/2 (paper Eq. 25), no overflow at large beta.
  for (const double beta : {-3.0, 0.0, 0.4, 2.5, 800.0, -800.0, kInf, -kInf}) {
    const Matrix rho = reference::gibbs_state(0.5 * 1.7 * reference::pauli(2), beta);
    const double p_e = 0.5 * (1 - std::tanh(beta * 1.7 / 2));
    EXPECT_NEAR(rho(0, 0).real(), p_e, 1e-15) << "beta " << beta;
    EXPECT_NEAR(rho(1, 1).real(), 1 - p_e, 1e-15) << "beta " << beta;
    EXPECT_NEAR(std::abs(rho(0, 1)), 0.0, 1e-15);
  }
  // A degenerate ground level at beta = +inf: the uniform mixture over it.
  Matrix h = Matrix::Zero(3, 3);
  h(2, 2) = 1.0;
  const Matrix ground = reference::gibbs_state(h, kInf);
  EXPECT_NEAR(ground(0, 0).real(), 0.5, 1e-15);
  EXPECT_NEAR(ground(1, 1).real(), 0.5, 1e-15);
  EXPECT_NEAR(ground(2, 2).real(), 0.0, 1e-15);
}

TEST(ReferenceEngine, StateFunctionals) {
  const double excited[3] = {0, 0, 1}, plus[3] = {1, 0, 0};
  const Matrix h = 0.5 * 1.3 * reference::pauli(2);
  EXPECT_NEAR(reference::ergotropy(reference::qubit_state(excited), h), 1.3, 1e-15);
  EXPECT_NEAR(reference::ergotropy(reference::gibbs_state(h, 0.8), h), 0.0, 1e-15);
  EXPECT_NEAR(reference::ergotropy(reference::qubit_state(plus), h), 0.65, 1e-15);
  EXPECT_NEAR(reference::coherence_l1(reference::qubit_state(plus)), 1.0, 1e-15);
  EXPECT_NEAR(reference::von_neumann_entropy(Matrix::Identity(3, 3) / 3.0), std::log(3.0), 1e-15);
  EXPECT_EQ(reference::von_neumann_entropy(reference::qubit_state(excited)), 0.0);
  EXPECT_EQ(reference::qubit_beta_eff(reference::qubit_state(excited), 1.0), -kInf);
  const double r[3] = {0.1, -0.2, 0.3};
  const auto b = reference::bloch_vector(reference::qubit_state(r));
  for (int l = 0; l < 3; ++l) EXPECT_NEAR(b[l], r[l], 1e-16);
}

TEST(ReferenceEngine, EnergyPreservingCouplingDoesNoWorkAndThermalises) {
  for (const double beta : {0.7, -1.5, 0.0, kInf, -kInf}) {
    SCOPED_TRACE("beta " + std::to_string(beta));
    core::PointParams p = exchange_point(0.8, 0.8, 1.3, 1.3, beta, 0.05, 1000);
    const double r0[3] = {0.3, -0.5, 0.6};
    const Model m = reference::make_qubit_model(p);
    Matrix rho = reference::qubit_state(r0);
    CollisionThermo c;
    for (std::int64_t k = 0; k < p.collisions; ++k) {
      c = reference::collide(m, rho);
      ASSERT_NEAR(c.work, 0.0, 1e-12) << "collision " << k;
      rho = c.rho_next;
    }
    const auto r = reference::bloch_vector(rho);
    EXPECT_NEAR(r[0], 0.0, 1e-10);
    EXPECT_NEAR(r[1], 0.0, 1e-10);
    EXPECT_NEAR(r[2], -std::tanh(beta * 1.3 / 2), 1e-10);
    EXPECT_NEAR(c.heat, 0.0, 1e-12);
    if (std::isfinite(beta)) {
      EXPECT_NEAR(c.entropy_production, 0.0, 1e-12);
    }
  }
}

TEST(ReferenceEngine, OffResonantBalancedCouplingGivesBetaEffOmegaSEqualToBetaOmegaA) {
  struct Case {
    double omega_s, omega_a, beta;
  };
  for (const Case& c : {Case{1.0, 2.0, 0.5}, Case{1.3, 0.6, 2.0}, Case{0.8, 1.5, -0.9}}) {
    const ChunkResult out =
        run_one(exchange_point(0.7, 0.7, c.omega_s, c.omega_a, c.beta, 0.02, 4000));
    // Exchange conserves the excitation number, so the detailed balance
    // p_e/p_g = p_e^A/p_g^A is exact at any dt once the populations relax.
    EXPECT_NEAR(out.value(kBetaEff, 0) * c.omega_s, c.beta * c.omega_a, 1e-9)
        << "omega_S " << c.omega_s << ", omega_A " << c.omega_a << ", beta " << c.beta;
  }
}

// docs/physics.md §6: beta_eff omega_S = ln[(R^2 p_g + C^2 p_e)/(R^2 p_e + C^2 p_g)] in the
// continuous limit, R = J_xx + J_yy, C = J_xx - J_yy.
TEST(ReferenceEngine, FinalStateApproachesTheContinuousLimitClosedFormAsDtShrinks) {
  for (const double j_yy : {0.5, -0.5}) {
    const double beta = 1.0, j_xx = 1.0, t_total = 40.0;
    const double p_e = 0.5 * (1 - std::tanh(beta / 2)), p_g = 1 - p_e;
    const double r2 = (j_xx + j_yy) * (j_xx + j_yy), c2 = (j_xx - j_yy) * (j_xx - j_yy);
    const double expected = std::log((r2 * p_g + c2 * p_e) / (r2 * p_e + c2 * p_g));
    std::vector<double> errors;
    for (const double dt : {0.04, 0.02, 0.01}) {
      const auto n = static_cast<std::int64_t>(std::lround(t_total / dt));
      const ChunkResult out = run_one(exchange_point(j_xx, j_yy, 1.0, 1.0, beta, dt, n));
      errors.push_back(std::abs(out.value(kBetaEff, 0) - expected));
    }
    SCOPED_TRACE("J_yy " + std::to_string(j_yy) + ", errors " + std::to_string(errors[0]) + " " +
                 std::to_string(errors[1]) + " " + std::to_string(errors[2]));
    // First order in dt: halving dt halves the error (measured: 5.1e-3, 2.6e-3, 1.3e-3).
    for (int i = 1; i < 3; ++i) {
      EXPECT_GT(errors[i] / errors[i - 1], 0.45);
      EXPECT_LT(errors[i] / errors[i - 1], 0.55);
    }
    EXPECT_LT(errors[2], 2e-3);
  }
}

TEST(ReferenceEngine, InfiniteBetaEntropyProduction) {
  // Ground-state ancilla: an excited system gives heat to it, Sigma = +inf; a
  // ground-state system exchanges nothing, Sigma = Delta S = 0.
  for (const double beta : {kInf, -kInf}) {
    const core::PointParams p = exchange_point(1.0, 1.0, 1.0, 1.0, beta, 0.05, 1);
    const Model m = reference::make_qubit_model(p);
    const double heated[3] = {0, 0, beta > 0 ? 1.0 : -1.0};
    const double untouched[3] = {0, 0, beta > 0 ? -1.0 : 1.0};
    const CollisionThermo hot = reference::collide(m, reference::qubit_state(heated));
    EXPECT_EQ(hot.entropy_production, kInf);
    EXPECT_EQ(hot.ancilla_relative_entropy, kInf);
    const CollisionThermo cold = reference::collide(m, reference::qubit_state(untouched));
    EXPECT_NEAR(cold.heat, 0.0, 1e-15);
    EXPECT_NEAR(cold.entropy_production, 0.0, 1e-12);
    EXPECT_NEAR(cold.ancilla_relative_entropy, 0.0, 1e-12);
  }
}

TEST(ReferenceBackend, SeriesSamplesAndFinalColumnsAgreeWithCollisions) {
  std::mt19937_64 rng(5);
  std::vector<core::PointParams> points = {random_point(rng), random_point(rng), random_point(rng)};
  points[0].collisions = 10;
  points[1].collisions = 7;
  points[2].collisions = 1;
  RunRequest request;
  request.series_every = 3;
  request.groups |= kGroupDecomposition;
  ChunkResult out;
  make_reference_backend()->run(points, request, out);
  ASSERT_EQ(out.points, 3u);
  ASSERT_EQ(out.max_samples(), 4);
  const std::vector<std::vector<std::int64_t>> sample_k = {{3, 6, 9, 10}, {3, 6, 7}, {1}};

  for (std::size_t i = 0; i < points.size(); ++i) {
    const core::PointParams& p = points[i];
    SCOPED_TRACE("point " + std::to_string(i));
    ASSERT_EQ(out.sample_counts[i], static_cast<std::int64_t>(sample_k[i].size()));
    const Model m = reference::make_qubit_model(p);
    Matrix rho = reference::qubit_state(p.bloch0);
    double work = 0, heat = 0, de = 0, ds = 0, sigma = 0, info = 0, rel = 0;
    CollisionThermo c;
    std::size_t s = 0;
    for (std::int64_t k = 1; k <= p.collisions; ++k) {
      c = reference::collide(m, rho);
      rho = c.rho_next;
      work += c.work, heat += c.heat, de += c.delta_energy, ds += c.delta_entropy;
      sigma += c.entropy_production, info += c.mutual_information;
      rel += c.ancilla_relative_entropy;
      if (s < sample_k[i].size() && k == sample_k[i][s]) {
        const auto r = reference::bloch_vector(rho);
        EXPECT_EQ(out.sample(s, kSeriesK, i), static_cast<double>(k));
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesT, i), static_cast<double>(k) * p.dt);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesBlochX, i), r[0]);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesBlochY, i), r[1]);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesBlochZ, i), r[2]);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesWorkRate, i), c.work / p.dt);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesHeatRate, i), c.heat / p.dt);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesEntropyProductionRate, i),
                         c.entropy_production / p.dt);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesWork, i), work);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesHeat, i), heat);
        EXPECT_DOUBLE_EQ(out.sample(s, kSeriesEntropyProduction, i), sigma);
        ++s;
      }
    }
    EXPECT_EQ(s, sample_k[i].size());
    const auto r = reference::bloch_vector(rho);
    EXPECT_DOUBLE_EQ(out.value(kBlochX, i), r[0]);
    EXPECT_DOUBLE_EQ(out.value(kBlochY, i), r[1]);
    EXPECT_DOUBLE_EQ(out.value(kBlochZ, i), r[2]);
    EXPECT_DOUBLE_EQ(out.value(kWork, i), work);
    EXPECT_DOUBLE_EQ(out.value(kHeat, i), heat);
    EXPECT_DOUBLE_EQ(out.value(kDeltaEnergy, i), de);
    EXPECT_DOUBLE_EQ(out.value(kDeltaEntropy, i), ds);
    EXPECT_DOUBLE_EQ(out.value(kEntropyProduction, i), sigma);
    EXPECT_DOUBLE_EQ(out.value(kWorkRate, i), c.work / p.dt);
    EXPECT_DOUBLE_EQ(out.value(kHeatRate, i), c.heat / p.dt);
    EXPECT_DOUBLE_EQ(out.value(kEntropyProductionRate, i), c.entropy_production / p.dt);
    EXPECT_DOUBLE_EQ(out.value(kMutualInformation, i), info);
    EXPECT_DOUBLE_EQ(out.value(kAncillaRelativeEntropy, i), rel);
    // The cumulative decomposition of docs/physics.md §3, identity 2.
    EXPECT_NEAR(info + rel, sigma, 1e-11);
    EXPECT_NEAR(de, work - heat, 1e-11);
  }
}

TEST(ReferenceBackend, NoEvolutionLeavesTheFinalAndDecompositionGroupsNaN) {
  RunRequest request;
  request.evolve = false;
  request.series_every = 5;
  request.groups |= kGroupDecomposition;
  const ChunkResult out = run_one(exchange_point(1, 0.5, 1, 1, 1, 0.05, 100), request);
  EXPECT_EQ(out.max_samples(), 0);
  EXPECT_EQ(out.sample_counts[0], 0);
  for (int c = kBlochX; c < kStatBlochX; ++c) EXPECT_TRUE(std::isnan(out.value(c, 0))) << c;
  for (int c = kMutualInformation; c < kQubitColumnCount; ++c)
    EXPECT_TRUE(std::isnan(out.value(c, 0))) << c;
}

TEST(ReferenceBackend, ZeroSystemFrequencyFlagsBetaEff) {
  const ChunkResult out = run_one(exchange_point(1, 0.5, 0.0, 1, 1, 0.05, 50));
  EXPECT_EQ(out.flags[0], static_cast<std::uint32_t>(core::kBetaEffZeroOmega));
  EXPECT_TRUE(std::isnan(out.value(kBetaEff, 0)));
  EXPECT_TRUE(std::isfinite(out.value(kBlochZ, 0)));
  EXPECT_TRUE(std::isfinite(out.value(kEntropyProduction, 0)));
  EXPECT_EQ(run_one(exchange_point(1, 0.5, 1, 1, 1, 0.05, 50)).flags[0], 0u);
}

TEST(ReferenceBackend, ChunkPointsRespectsTheMemoryCap) {
  const auto backend = make_reference_backend();
  EXPECT_EQ(backend->name(), "reference");
  const RunRequest request;
  EXPECT_GT(backend->chunk_points(request, 0, 0, {}), 0u);
  const std::size_t cap = 1 << 20;
  const std::size_t n = backend->chunk_points(request, 100, cap, {});
  EXPECT_GE(n, 1u);
  EXPECT_LE(n * sizeof(double) * (kQubitColumnCount + 100 * kQubitSeriesColumnCount), cap);
}

// ---- known answers (independent NumPy implementation of docs/physics.md)
// -------------------------

TEST(ReferenceBackend, MatchesIndependentKnownAnswers) {
  std::ifstream file(std::string(QCM_TEST_DATA_DIR) + "/reference-points.json");
  ASSERT_TRUE(file) << "cannot open reference-points.json";
  const Json data = Json::parse(file);
  std::vector<core::PointParams> points;
  for (const auto& entry : data.at("points")) {
    const auto parsed = test::points_of(entry.at("spec"));
    ASSERT_EQ(parsed.size(), 1u);
    points.push_back(parsed[0]);
  }
  ASSERT_EQ(points.size(), 6u);
  ChunkResult out;
  make_reference_backend()->run(points, RunRequest{}, out);

  int compared = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (const auto& [name, expected] : data["points"][i].at("expected").items()) {
      const auto slot = std::find(kColumnNames.begin(), kColumnNames.end(), name);
      ASSERT_NE(slot, kColumnNames.end()) << name;
      const int column = static_cast<int>(slot - kColumnNames.begin());
      if (column >= kStatBlochX) continue;  // stationary and gksl: tests/steady_state_test.cpp
      const double b = expected.get<double>();
      EXPECT_NEAR(out.value(column, i), b, 1e-9 * std::max(1.0, std::abs(b)))
          << "point " << i << ", column " << name;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 6 * 14);
}

}  // namespace
}  // namespace qcm
