// @file tests: the three steady states (final, stationary, gksl) and the GKSL
// dynamics, on the reference and cpu backends (docs/physics.md §4-6, docs/steady-states.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "driver/compare.hpp"
#include "driver/driver.hpp"
#include "driver/random_points.hpp"
#include "qcm/backend.hpp"
#include "qcm/columns.hpp"
#include "qcm/spec.hpp"
#include "reference/reference_engine.hpp"
#include "support/compare.hpp"

namespace qcm {
namespace {

using reference::Matrix;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kStationaryGksl = kGroupStationary | kGroupGksl;

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

ChunkResult run_points(const std::string& backend, std::span<const core::PointParams> points,
                       const RunRequest& request) {
  ChunkResult out;
  make_backend(backend, Precision::double_)->run(points, request, out);
  return out;
}

ChunkResult run_one(const std::string& backend, const core::PointParams& p,
                    const RunRequest& request = {}) {
  return run_points(backend, std::span(&p, 1), request);
}

RunRequest groups_only(std::uint32_t groups) {
  RunRequest request;
  request.groups = groups;
  request.evolve = (groups & (kGroupFinal | kGroupDecomposition)) != 0;
  return request;
}

// Bloch vector of a group whose first slot is `first` (kBlochX, kStatBlochX, kGkslBlochX).
std::array<double, 3> bloch_of(const ChunkResult& out, int first, std::size_t i = 0) {
  return {out.value(first, i), out.value(first + 1, i), out.value(first + 2, i)};
}

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

// Random nine-term coupling (the J_lz, ancilla sigma_z, terms zero half the
// time so that the GKSL limit exists at beta != 0), beta of both signs (0 one
// time in ten, +-inf one time in ten), both scalings, a random state in the ball.
core::PointParams random_point(std::mt19937_64& rng) {
  RandomPointOptions options;
  options.coupling_range = 2.0;
  options.max_omega = 3.0;
  options.max_dt = 0.5;
  options.without_ancilla_z = 0.5;
  return qcm::random_point(rng, options);
}

// A point whose GKSL limit exists: ultrastrong, no ancilla sigma_z term, finite beta.
core::PointParams random_gksl_point(std::mt19937_64& rng) {
  core::PointParams p = random_point(rng);
  p.scaling = core::Scaling::ultrastrong;
  for (auto& row : p.coupling) row[2] = 0.0;
  if (std::isinf(p.beta)) p.beta = uniform(rng, -5, 5);
  return p;
}

core::PointParams coupled_point(double j_xx, double j_yy, double j_zy, double beta, double dt) {
  core::PointParams p;
  p.coupling[0][0] = j_xx;
  p.coupling[1][1] = j_yy;
  p.coupling[2][1] = j_zy;
  p.beta = beta;
  p.dt = dt;
  return p;
}

// log2 of successive error ratios: the observed order of convergence as dt halves.
std::vector<double> observed_orders(const std::vector<double>& errors) {
  std::vector<double> orders;
  for (std::size_t i = 1; i < errors.size(); ++i)
    orders.push_back(std::log2(errors[i - 1] / errors[i]));
  return orders;
}

std::string join(const std::vector<double>& xs) {
  std::string s;
  char buffer[32];
  for (const double x : xs) {
    std::snprintf(buffer, sizeof buffer, "%s%.3g", s.empty() ? "" : " ", x);
    s += buffer;
  }
  return s;
}

// Every test below runs on both backends: the literal reference engine and the
// kernels compiled for the CPU.
class SteadyStateOnBackend : public ::testing::TestWithParam<std::string> {
 protected:
  const std::string& backend() const { return GetParam(); }
};

TEST_P(SteadyStateOnBackend, StationaryStateIsAFixedPointOfTheCollisionMap) {
  std::mt19937_64 rng(41);
  std::vector<core::PointParams> points;
  for (int i = 0; i < 200; ++i) points.push_back(random_point(rng));
  const ChunkResult out = run_points(backend(), points, groups_only(kGroupStationary));
  int checked = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (out.flags[i] & core::kStationaryOscillates) continue;
    const auto r = bloch_of(out, kStatBlochX, i);
    const double bloch[3] = {r[0], r[1], r[2]};
    const Matrix rho = reference::qubit_state(bloch);
    const Matrix next = reference::collide(reference::make_qubit_model(points[i]), rho).rho_next;
    EXPECT_LE((next - rho).cwiseAbs().maxCoeff(), 1e-12) << "point " << i;
    EXPECT_LE(std::hypot(r[0], r[1], r[2]), 1 + 1e-12) << "point " << i;
    ++checked;
  }
  EXPECT_GT(checked, 190);
}

TEST_P(SteadyStateOnBackend, StationaryStateIsWhereManyCollisionsLead) {
  std::mt19937_64 rng(43);
  std::vector<core::PointParams> points;
  // The reference engine takes ~1 s per 10^5 collisions: a few points there.
  const std::size_t wanted = backend() == "reference" ? 3 : 40;
  while (points.size() < wanted) {
    core::PointParams p = random_point(rng);
    if (std::isinf(p.beta)) continue;
    p.collisions = 100000;
    // Relaxation within n/40 collisions: |lambda_2|^n < e^-40.
    const ChunkResult st = run_one("cpu", p, groups_only(kGroupStationary));
    if (st.flags[0] == 0 && st.value(kStatRelaxationCollisions, 0) < 100000 / 40.0)
      points.push_back(p);
  }
  const ChunkResult out =
      run_points(backend(), points, groups_only(kGroupFinal | kGroupStationary));
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_LE(distance(bloch_of(out, kBlochX, i), bloch_of(out, kStatBlochX, i)), 1e-10)
        << "point " << i << ", relaxation " << out.value(kStatRelaxationCollisions, i);
    // The last collision's rates are the stationary rates.
    EXPECT_NEAR(out.value(kWorkRate, i), out.value(kStatWorkRate, i), 1e-9) << "point " << i;
    EXPECT_NEAR(out.value(kHeatRate, i), out.value(kStatHeatRate, i), 1e-9) << "point " << i;
  }
}

// docs/physics.md §6: beta_eff omega_S = ln[(R^2 p_g + C^2 p_e)/(R^2 p_e + C^2 p_g)].
TEST_P(SteadyStateOnBackend, GkslBetaEffMatchesTheClosedForm) {
  std::vector<core::PointParams> points;
  std::vector<double> expected;
  for (const double ratio : {-3.0, -1.0, -0.5, -0.2, 0.0, 0.25, 0.5, 0.9, 1.0, 2.0, 4.0})
    for (const double beta : {0.5, 1.0, 3.0, 5.0, 7.0, 9.0, -2.0}) {
      const double j_xx = 0.8, j_yy = ratio * j_xx;
      points.push_back(coupled_point(j_xx, j_yy, 0.0, beta, 0.05));
      const double p_e = 0.5 * (1 - std::tanh(beta / 2)), p_g = 1 - p_e;
      const double r2 = (j_xx + j_yy) * (j_xx + j_yy), c2 = (j_xx - j_yy) * (j_xx - j_yy);
      expected.push_back(std::log((r2 * p_g + c2 * p_e) / (r2 * p_e + c2 * p_g)));
    }
  const ChunkResult out = run_points(backend(), points, groups_only(kGroupGksl));
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(out.flags[i], 0u);
    EXPECT_NEAR(out.value(kGkslBetaEff, i), expected[i],
                1e-10 * std::max(1.0, std::abs(expected[i])))
        << "J_yy/J_xx " << points[i].coupling[1][1] / 0.8 << ", beta " << points[i].beta;
  }
}

// docs/physics.md §3 identity 3, in both steady states: W = Q and Sigma = beta Q >= 0.
TEST_P(SteadyStateOnBackend, SteadyStatesDoHousekeepingWorkEqualToHeat) {
  std::mt19937_64 rng(47);
  std::vector<core::PointParams> points;
  for (int i = 0; i < 200; ++i) points.push_back(random_gksl_point(rng));
  const ChunkResult out = run_points(backend(), points, groups_only(kStationaryGksl));
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i) + ", beta " + std::to_string(points[i].beta));
    ASSERT_EQ(out.flags[i], 0u);
    const double beta = points[i].beta;
    const double w = out.value(kGkslWorkRate, i), q = out.value(kGkslHeatRate, i);
    const double scale = std::max(1.0, std::abs(q));
    EXPECT_NEAR(w, q, 1e-11 * scale);
    EXPECT_NEAR(out.value(kGkslEntropyProductionRate, i), beta * q,
                1e-11 * scale * (1 + std::abs(beta)));
    EXPECT_GE(beta * q, -1e-11 * scale);
    const double ws = out.value(kStatWorkRate, i), qs = out.value(kStatHeatRate, i);
    EXPECT_NEAR(ws, qs, 1e-10 * std::max(1.0, std::abs(qs)));
    EXPECT_NEAR(out.value(kStatEntropyProductionRate, i), beta * qs,
                1e-10 * std::max(1.0, std::abs(qs)) * (1 + std::abs(beta)));
    EXPECT_GE(out.value(kStatEntropyProductionRate, i), -1e-10);
  }
}

// The collision model converges to its GKSL limit at first order in dt, both
// in the steady state and at a fixed time T.
TEST_P(SteadyStateOnBackend, CollisionModelConvergesToGkslAtFirstOrderInDt) {
  const std::vector<double> dts = {0.04, 0.02, 0.01, 0.005};
  struct Case {
    const char* name;
    core::PointParams p;
  };
  std::vector<Case> cases = {{"xx=1 yy=0.5 zy=0.6, beta=1", coupled_point(1, 0.5, 0.6, 1.0, 0)},
                             {"xx=1 yy=-0.5, beta=3", coupled_point(1, -0.5, 0, 3.0, 0)}};
  cases[1].p.bloch0[0] = 0.6;  // a coherence to carry along
  cases[1].p.bloch0[2] = 0.5;
  const double t_total = 2.0;
  for (Case& c : cases) {
    std::vector<double> steady_errors, dynamics_errors, work_errors;
    for (const double dt : dts) {
      core::PointParams p = c.p;
      p.dt = dt;
      p.collisions = std::lround(t_total / dt);
      const ChunkResult collisions =
          run_one(backend(), p, groups_only(kGroupFinal | kStationaryGksl));
      p.dynamics = core::Dynamics::gksl;
      const ChunkResult gksl = run_one(backend(), p, groups_only(kGroupFinal));
      ASSERT_EQ(collisions.flags[0], 0u);
      ASSERT_EQ(gksl.flags[0], 0u);
      steady_errors.push_back(
          distance(bloch_of(collisions, kStatBlochX), bloch_of(collisions, kGkslBlochX)));
      dynamics_errors.push_back(distance(bloch_of(collisions, kBlochX), bloch_of(gksl, kBlochX)));
      work_errors.push_back(std::abs(collisions.value(kWork, 0) - gksl.value(kWork, 0)));
    }
    const std::vector<double> steady = observed_orders(steady_errors);
    const std::vector<double> dynamics = observed_orders(dynamics_errors);
    const std::vector<double> work = observed_orders(work_errors);
    std::cout << "[ orders   ] " << backend() << ", " << c.name << ", dt " << join(dts)
              << "\n             stationary vs gksl: errors " << join(steady_errors) << ", orders "
              << join(steady) << "\n             final vs gksl dynamics at T = " << t_total
              << ": errors " << join(dynamics_errors) << ", orders " << join(dynamics)
              << "\n             cumulative work at T: errors " << join(work_errors) << ", orders "
              << join(work) << "\n";
    RecordProperty(std::string(c.name) + " stationary orders", join(steady));
    RecordProperty(std::string(c.name) + " dynamics orders", join(dynamics));
    for (const double o : steady) {
      EXPECT_GE(o, 0.8) << c.name << ", stationary";
      EXPECT_LE(o, 1.2) << c.name << ", stationary";
    }
    for (const double o : dynamics) {
      EXPECT_GE(o, 0.8) << c.name << ", dynamics";
      EXPECT_LE(o, 1.2) << c.name << ", dynamics";
    }
    EXPECT_LT(steady_errors.back(), 0.01);
    EXPECT_LT(dynamics_errors.back(), 0.01);
  }
}

// Pure dephasing (only J_zy): populations survive, coherences vanish, and the
// fixed-point space (kernel) is two-dimensional.
TEST_P(SteadyStateOnBackend, PureZyCouplingKeepsPopulationsAndKillsCoherences) {
  for (const double beta : {1.0, -2.0, 0.0}) {
    core::PointParams p = coupled_point(0, 0, 0.8, beta, 0.05);
    p.omega_s = 1.3;
    p.bloch0[0] = 0.3, p.bloch0[1] = -0.4, p.bloch0[2] = 0.5;
    const ChunkResult out = run_one(backend(), p, groups_only(kStationaryGksl));
    SCOPED_TRACE("beta " + std::to_string(beta));
    EXPECT_EQ(out.flags[0], 0u);
    EXPECT_EQ(out.value(kStatDimension, 0), 2.0);
    EXPECT_EQ(out.value(kGkslDimension, 0), 2.0);
    for (const int first : {kStatBlochX, kGkslBlochX}) {
      EXPECT_NEAR(out.value(first + 0, 0), 0.0, 1e-12);
      EXPECT_NEAR(out.value(first + 1, 0), 0.0, 1e-12);
      EXPECT_NEAR(out.value(first + 2, 0), 0.5, 1e-12);
    }
    EXPECT_GT(out.value(kStatRelaxationCollisions, 0), 0.0);
    EXPECT_TRUE(std::isfinite(out.value(kStatRelaxationCollisions, 0)));
  }
}

// docs/physics.md §3 identity 4: J_xx = J_yy at omega_S = omega_A thermalises at beta
// without work, heat or entropy production, in all three senses.
TEST_P(SteadyStateOnBackend, EnergyPreservingCouplingHasNoCurrents) {
  for (const double beta : {0.7, -1.5, 0.0, kInf}) {
    core::PointParams p = coupled_point(0.8, 0.8, 0, beta, 0.05);
    p.omega_s = p.omega_a = 1.3;
    p.collisions = 2000;
    p.bloch0[0] = 0.3, p.bloch0[1] = -0.5, p.bloch0[2] = 0.6;
    const ChunkResult out = run_one(backend(), p, groups_only(kGroupFinal | kStationaryGksl));
    SCOPED_TRACE("beta " + std::to_string(beta));
    EXPECT_EQ(out.flags[0], 0u);
    for (const int c :
         {kWorkRate, kHeatRate, kEntropyProductionRate, kStatWorkRate, kStatHeatRate,
          kStatEntropyProductionRate, kGkslWorkRate, kGkslHeatRate, kGkslEntropyProductionRate})
      EXPECT_NEAR(out.value(c, 0), 0.0, 1e-10) << kColumnNames[c];
    const double gibbs_z = -std::tanh(beta * 1.3 / 2);
    EXPECT_NEAR(out.value(kStatBlochZ, 0), gibbs_z, 1e-12);
    EXPECT_NEAR(out.value(kGkslBlochZ, 0), gibbs_z, 1e-12);
    EXPECT_NEAR(out.value(kStatCoherenceL1, 0), 0.0, 1e-12);
    EXPECT_NEAR(out.value(kGkslCoherenceL1, 0), 0.0, 1e-12);
  }
}

// tests/data/reference-points.json: stationary.* and gksl.* from an independent
// NumPy implementation (eigenvector of the Liouville matrix, null space of the generator).
TEST_P(SteadyStateOnBackend, MatchesIndependentKnownAnswers) {
  std::ifstream file(std::string(QCM_TEST_DATA_DIR) + "/reference-points.json");
  ASSERT_TRUE(file) << "cannot open reference-points.json";
  const Json data = Json::parse(file);
  std::vector<core::PointParams> points;
  for (const auto& entry : data.at("points"))
    points.push_back(parse_spec(entry.at("spec")).point(0));
  ASSERT_EQ(points.size(), 6u);
  const ChunkResult out = run_points(backend(), points, groups_only(kStationaryGksl));
  int compared = 0, nulls = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (const auto& [name, expected] : data["points"][i].at("expected").items()) {
      if (!name.starts_with("stationary.") && !name.starts_with("gksl.")) continue;
      const auto slot = std::find(kColumnNames.begin(), kColumnNames.end(), name);
      ASSERT_NE(slot, kColumnNames.end()) << name;
      const double value = out.value(static_cast<int>(slot - kColumnNames.begin()), i);
      if (expected.is_null()) {
        EXPECT_TRUE(std::isnan(value)) << "point " << i << ", column " << name;
        ++nulls;
        continue;
      }
      const double b = expected.get<double>();
      EXPECT_NEAR(value, b, 1e-9 * std::max(1.0, std::abs(b))) << "point " << i << ", " << name;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4 * 11 + 2 * 4);
  EXPECT_EQ(nulls, 4);
  EXPECT_EQ(out.flags[4], static_cast<std::uint32_t>(core::kGkslFixedScaling));
  EXPECT_EQ(out.flags[5], static_cast<std::uint32_t>(core::kGkslOddMoment));
}

TEST_P(SteadyStateOnBackend, UndefinedLimitsAreNullWithAReason) {
  const auto expect_null = [](const ChunkResult& out, int first, int last) {
    for (int c = first; c < last; ++c) EXPECT_TRUE(std::isnan(out.value(c, 0))) << kColumnNames[c];
  };
  {  // An ancilla sigma_z term at beta != 0: an O(dt^-1/2) term survives.
    core::PointParams p = coupled_point(1.0, 0, 0, 1.0, 0.05);
    p.coupling[0][2] = 0.5;
    ChunkResult out = run_one(backend(), p, groups_only(kStationaryGksl));
    EXPECT_EQ(out.flags[0], static_cast<std::uint32_t>(core::kGkslOddMoment));
    expect_null(out, kGkslBlochX, kMutualInformation);
    EXPECT_TRUE(std::isfinite(out.value(kStatBlochZ, 0)));
    p.dynamics = core::Dynamics::gksl;
    RunRequest request = groups_only(kGroupFinal | kGroupDecomposition);
    request.series_every = 10;
    out = run_one(backend(), p, request);
    EXPECT_EQ(out.flags[0], core::kGkslDynamicsUndefined | core::kDecompositionNeedsCollisions);
    expect_null(out, kBlochX, kStatBlochX);
    expect_null(out, kMutualInformation, kQubitColumnCount);
    EXPECT_EQ(out.sample_counts[0], 0);
    // At beta = 0 the ancilla's sigma_z has zero mean: the limit exists.
    p.beta = 0.0;
    p.dynamics = core::Dynamics::collision;
    EXPECT_EQ(run_one(backend(), p, groups_only(kGroupGksl)).flags[0], 0u);
  }
  {  // No coupling: Phi is a rotation, e^{+-i omega dt} on the unit circle.
    core::PointParams p = coupled_point(0, 0, 0, 1.0, 0.05);
    const ChunkResult out = run_one(backend(), p, groups_only(kStationaryGksl));
    EXPECT_EQ(out.flags[0], core::kStationaryOscillates | core::kGkslOscillates);
    expect_null(out, kStatBlochX, kStatDimension);
    EXPECT_TRUE(std::isnan(out.value(kStatRelaxationCollisions, 0)));
    EXPECT_EQ(out.value(kStatDimension, 0), 2.0);
    expect_null(out, kGkslBlochX, kGkslDimension);
    EXPECT_EQ(out.value(kGkslDimension, 0), 2.0);
  }
  {  // Fixed scaling: no continuous limit at all; the flags of all groups add up.
    core::PointParams p = coupled_point(1.0, 0.5, 0, 1.0, 0.05);
    p.scaling = core::Scaling::fixed;
    p.omega_s = 0.0;
    const ChunkResult out = run_one(backend(), p, groups_only(kStationaryGksl));
    EXPECT_EQ(out.flags[0], core::kGkslFixedScaling | core::kBetaEffZeroOmega);
    expect_null(out, kGkslBlochX, kMutualInformation);
    EXPECT_TRUE(std::isnan(out.value(kStatBetaEff, 0)));
    EXPECT_TRUE(std::isfinite(out.value(kStatBlochZ, 0)));
  }
  {  // GKSL dynamics has no collisions to decompose Sigma over.
    core::PointParams p = coupled_point(1.0, 0.5, 0, 1.0, 0.05);
    p.dynamics = core::Dynamics::gksl;
    const ChunkResult out = run_one(backend(), p, groups_only(kGroupFinal | kGroupDecomposition));
    EXPECT_EQ(out.flags[0], static_cast<std::uint32_t>(core::kDecompositionNeedsCollisions));
    expect_null(out, kMutualInformation, kQubitColumnCount);
    EXPECT_TRUE(std::isfinite(out.value(kEntropyProduction, 0)));
  }
}

// Through the driver: the null cells are explained in the result's `undefined` list.
TEST_P(SteadyStateOnBackend, DriverExplainsTheNullSteadyStates) {
  const Spec spec = parse_spec(Json::parse(R"({
    "coupling": {"xx": 1.0, "xz": 0.5}, "collisions": 10,
    "sweep": {"grid": {"coupling.xx": [1.0, 0.0]}}})"));
  RunOptions options;
  options.request = make_request(spec, kDefaultGroups);
  MemoryTable table;
  const auto b = make_backend(backend(), Precision::double_);
  run_sweep(spec, options, *b, table);
  bool odd_moment = false, oscillates = false;
  for (const UndefinedEntry& e : table.undefined()) {
    if (e.reason.find("Tr_A[V (1 x rho_A)]") != std::string::npos) {
      odd_moment = true;
      EXPECT_NE(std::find(e.columns.begin(), e.columns.end(), "gksl.bloch_x"), e.columns.end());
    }
    if (e.reason.find("collision map has an eigenvalue of modulus 1") != std::string::npos) {
      oscillates = true;
      EXPECT_EQ(e.row, 1u);
    }
  }
  EXPECT_TRUE(odd_moment);
  EXPECT_FALSE(oscillates) << "J_xz alone still relaxes";
}

INSTANTIATE_TEST_SUITE_P(SteadyStates, SteadyStateOnBackend,
                         ::testing::Values(std::string("reference"), std::string("cpu")),
                         [](const auto& info) { return info.param; });

// ---- cpu against reference, column by column ------------------------------------------------

void expect_equivalent(const ChunkResult& cpu, const ChunkResult& ref,
                       const std::vector<core::PointParams>& points, const RunRequest& request) {
  test::Comparison how{tolerance_for(Precision::double_)};
  how.points = &points;
  test::expect_chunks_agree(cpu, ref, request, how);
}

TEST(SteadyStatesIsEquivalentToRef, StationaryAndGkslGroups) {
  std::mt19937_64 rng(53);
  std::vector<core::PointParams> points;
  for (int i = 0; i < 500; ++i) points.push_back(random_point(rng));
  const RunRequest request = groups_only(kStationaryGksl);
  const ChunkResult cpu = run_points("cpu", points, request);
  const ChunkResult ref = run_points("reference", points, request);
  expect_equivalent(cpu, ref, points, request);
  // The random points reach every case: relaxing and oscillating maps, GKSL limits that
  // exist and that do not.
  const auto count = [&](std::uint32_t flag) {
    return std::count_if(ref.flags.begin(), ref.flags.end(),
                         [flag](std::uint32_t f) { return (f & flag) == flag; });
  };
  EXPECT_GT(count(0u), 0);
  EXPECT_GT(points.size() - count(core::kGkslOddMoment) - count(core::kGkslFixedScaling), 100u);
  EXPECT_GT(count(core::kGkslOddMoment), 50);
}

TEST(SteadyStatesIsEquivalentToRef, GkslDynamicsWithSeries) {
  std::mt19937_64 rng(59);
  std::vector<core::PointParams> points;
  for (int i = 0; i < 200; ++i) {
    core::PointParams p = random_point(rng);
    p.dynamics = core::Dynamics::gksl;
    p.collisions = static_cast<std::int64_t>(uniform(rng, 1, 300));
    points.push_back(p);
  }
  RunRequest request = groups_only(kGroupFinal | kStationaryGksl);
  request.series_every = 7;
  const ChunkResult cpu = run_points("cpu", points, request);
  const ChunkResult ref = run_points("reference", points, request);
  expect_equivalent(cpu, ref, points, request);
  EXPECT_GT(std::count(ref.flags.begin(), ref.flags.end(), 0u), 30) << "points with a GKSL limit";
}

// At beta = +-inf the entropy production is +inf exactly when heat flows (above
// rounding). With a large ancilla frequency the rounding of the heat (and of its
// GKSL current, quadratic in V) grows with omega_A: every path (collision
// stepping, closed form, stationary, GKSL group, GKSL dynamics) and the
// reference engine must then still agree that a relaxed state produces none
// (qcm/core/tolerances.hpp). Before the tolerances were shared, the kernels'
// GKSL path used 64 eps unscaled and called these points +inf.
TEST(SteadyStatesIsEquivalentToRef, InfiniteBetaWithLargeAncillaFrequencyAgreesOnEveryPath) {
  std::vector<core::PointParams> points;
  for (const double beta : {kInf, -kInf})
    for (const double omega : {1e2, 1e3})
      for (const auto dynamics : {core::Dynamics::collision, core::Dynamics::gksl})
        for (const double z : {-1.0, 1.0, 0.0, -0.5}) {
          core::PointParams p = coupled_point(1, 1, 0, beta, 0.01);
          p.omega_s = p.omega_a = omega;
          p.collisions = 2000;
          p.dynamics = dynamics;
          p.bloch0[0] = z == -0.5 ? 0.3 : 0;
          p.bloch0[1] = z == -0.5 ? 0.2 : 0;
          p.bloch0[2] = z;
          points.push_back(p);
        }
  RunRequest request = groups_only(kGroupFinal | kStationaryGksl);
  request.series_every = 500;
  const ChunkResult cpu = run_points("cpu", points, request);
  const ChunkResult ref = run_points("reference", points, request);
  expect_equivalent(cpu, ref, points, request);
  // The exchange coupling relaxes the system to the ancilla's pure state, so
  // every steady current, and the final one of the GKSL dynamics, is zero.
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE(test::describe(points[i]));
    for (const int c : {int(kStatEntropyProductionRate), int(kGkslEntropyProductionRate)}) {
      EXPECT_TRUE(std::isfinite(cpu.value(c, i))) << kColumnNames[c] << " " << cpu.value(c, i);
      EXPECT_TRUE(std::isfinite(ref.value(c, i))) << kColumnNames[c] << " " << ref.value(c, i);
    }
    if (points[i].dynamics == core::Dynamics::gksl) {
      EXPECT_TRUE(std::isfinite(cpu.value(kEntropyProductionRate, i)));
      EXPECT_TRUE(std::isfinite(ref.value(kEntropyProductionRate, i)));
    }
  }
}

// Unitary GKSL flow (no coupling) keeps a pure state pure: dS/dt = 0 and, at
// finite beta with no heat, sigma = 0 at every sample, not +inf.
TEST(SteadyStatesIsEquivalentToRef, PureStateUnderUnitaryGkslFlowProducesNoEntropy) {
  std::vector<core::PointParams> points;
  for (const double omega : {0.3, 1.0, 1.7})
    for (const double angle : {0.0, 0.7, 1.5707963267948966, 2.5}) {
      core::PointParams p = coupled_point(0, 0, 0, 1.0, 0.05);
      p.omega_s = omega;
      p.collisions = 40;
      p.dynamics = core::Dynamics::gksl;
      p.bloch0[0] = std::sin(angle), p.bloch0[1] = 0, p.bloch0[2] = std::cos(angle);
      points.push_back(p);
    }
  RunRequest request = groups_only(kGroupFinal);
  request.series_every = 1;
  for (const std::string backend : {"reference", "cpu"}) {
    const ChunkResult out = run_points(backend, points, request);
    int samples = 0, nonzero = 0;
    std::string first_bad;
    for (std::size_t i = 0; i < points.size(); ++i)
      for (std::int64_t s = 0; s < out.sample_counts[i]; ++s, ++samples)
        if (!(std::abs(out.sample(s, kSeriesEntropyProductionRate, i)) <= 1e-12) && !nonzero++)
          first_bad = "point " + std::to_string(i) + ", sample " + std::to_string(s) + ": " +
                      std::to_string(out.sample(s, kSeriesEntropyProductionRate, i));
    EXPECT_EQ(samples, 12 * 40);
    EXPECT_EQ(nonzero, 0) << backend << ": entropy production rate != 0 at " << nonzero
                          << " samples, first at " << first_bad
                          << " (a pure state's entropy rate counts as zero below "
                          << "Tolerances::rate_zero, qcm/core/tolerances.hpp)";
  }
}

// ---- the reference engine's own steady states, in general dimension ---------------------------

Matrix random_hermitian(std::mt19937_64& rng, Eigen::Index d, double scale) {
  Matrix a(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) a(i, j) = {uniform(rng, -1, 1), uniform(rng, -1, 1)};
  return 0.5 * scale * (a + a.adjoint());
}

TEST(ReferenceSteadyStates, FixedPointAndKernelInGeneralDimension) {
  std::mt19937_64 rng(61);
  for (int i = 0; i < 40; ++i) {
    const Eigen::Index d_s = i % 2 == 0 ? 3 : 2, d_a = i % 2 == 0 ? 2 : 3;
    const reference::Model m =
        reference::make_model(random_hermitian(rng, d_s, 2.0), random_hermitian(rng, d_a, 2.0),
                              random_hermitian(rng, d_s * d_a, 1.5), uniform(rng, -3, 3),
                              uniform(rng, 0.01, 0.3), i % 4 < 2 ? 1.0 : 3.0);
    Matrix rho0 = random_hermitian(rng, d_s, 1.0);
    rho0 = rho0 * rho0.adjoint();
    rho0 /= rho0.trace().real();
    SCOPED_TRACE("model " + std::to_string(i));

    // The superoperator is the map.
    const Matrix phi = reference::collision_superoperator(m);
    const Matrix direct = reference::collide(m, rho0).rho_next;
    const Eigen::VectorXcd mapped =
        phi * Eigen::Map<const Eigen::VectorXcd>(rho0.data(), d_s * d_s);
    EXPECT_LE((Eigen::Map<const Matrix>(mapped.data(), d_s, d_s) - direct).cwiseAbs().maxCoeff(),
              1e-13);

    const reference::SteadyState st = reference::collision_steady_state(m, rho0);
    ASSERT_FALSE(st.oscillates);
    EXPECT_EQ(st.dimension, 1);
    EXPECT_NEAR(st.rho.trace().real(), 1.0, 1e-12);
    EXPECT_LE((reference::collision_map(m, st.rho) - st.rho).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_GE(Eigen::SelfAdjointEigenSolver<Matrix>(st.rho).eigenvalues().minCoeff(), -1e-12);

    const reference::GkslLimit limit = reference::make_gksl_limit(m);
    const reference::SteadyState g = reference::gksl_steady_state(limit, rho0);
    ASSERT_FALSE(g.oscillates);
    EXPECT_EQ(g.dimension, 1);
    EXPECT_NEAR(g.rho.trace().real(), 1.0, 1e-12);
    EXPECT_LE(reference::gksl_generator(m, limit, g.rho).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_GE(Eigen::SelfAdjointEigenSolver<Matrix>(g.rho).eigenvalues().minCoeff(), -1e-12);
    // Energy balance in the kernel: dE_S/dt = Wdot - Qdot = Tr[H_S L(rho)] = 0.
    EXPECT_NEAR(reference::gksl_current(m, limit.work_operator, g.rho),
                reference::gksl_current(m, limit.heat_operator, g.rho), 1e-11);
  }
}

TEST(ReferenceSteadyStates, GkslFlowSolvesTheMasterEquation) {
  std::mt19937_64 rng(67);
  for (int i = 0; i < 10; ++i) {
    const core::PointParams p = random_gksl_point(rng);
    const reference::Model m = reference::make_qubit_model(p);
    const reference::GkslLimit limit = reference::make_gksl_limit(m);
    ASSERT_FALSE(limit.odd_moment);
    const Matrix rho0 = reference::qubit_state(p.bloch0);
    const double t = uniform(rng, 0.1, 3.0), h = 1e-4;
    const reference::GkslFlow f = reference::gksl_flow(limit, rho0, t);
    const Matrix derivative = (reference::gksl_flow(limit, rho0, t + h).rho -
                               reference::gksl_flow(limit, rho0, t - h).rho) /
                              (2 * h);
    const double size = std::max(1.0, limit.liouvillian.cwiseAbs().maxCoeff());
    // Central difference: error ~ h^2 ||L||^3 / 6.
    EXPECT_LE((derivative - reference::gksl_generator(m, limit, f.rho)).cwiseAbs().maxCoeff(),
              1e-6 * size * size * size);
    EXPECT_NEAR(f.integral.trace().real(), t, 1e-12 * t);
    // The integral: composite Simpson on 400 panels.
    Matrix simpson = rho0 + f.rho;
    const int panels = 400;
    for (int k = 1; k < panels; ++k)
      simpson += (k % 2 == 1 ? 4.0 : 2.0) * reference::gksl_flow(limit, rho0, t * k / panels).rho;
    simpson *= t / (3.0 * panels);
    EXPECT_LE((simpson - f.integral).cwiseAbs().maxCoeff(), 1e-8 * size * size * size * size);
  }
}

}  // namespace
}  // namespace qcm
