// @file tests: the reference engine's rounds of collisions with several baths
// (src/reference/rounds.cpp) against the known answers of an independent implementation
// (tests/data/general-points.json, the point with "baths"), and the identities every round
// obeys: the first law, Sigma >= 0, the steady state's energy balance, heat from hot to cold
// through a passive bridge, one bath in a list is the single-bath collision.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "qcm/spec.hpp"
#include "reference/reference_engine.hpp"

namespace qcm::reference {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Json load_points() {
  std::ifstream in(std::string(QCM_TEST_DATA_DIR) + "/general-points.json");
  return Json::parse(in);
}

RoundModel model_of(const Spec& spec, std::vector<double>& storage) {
  const core::GeneralShape shape = spec.general_shape();
  storage.assign(shape.stride, 0.0);
  spec.general_point(0, storage.data());
  static core::GeneralShape kept;
  kept = shape;
  return round_model_of(core::GeneralRecord{storage.data(), &kept});
}

double population(const Matrix& rho, const Matrix& h_s, int level) {
  return (energy_basis(h_s).vectors.adjoint() * rho * energy_basis(h_s).vectors)(level, level)
      .real();
}

void expect_close(double got, double expected, const std::string& what) {
  EXPECT_NEAR(got, expected, 1e-8 * std::max(1.0, std::abs(expected))) << what;
}

TEST(RoundsReference, KnownAnswersOfTwoQubitBathsInSequence) {
  const Json points = load_points();
  const Json* point = nullptr;
  for (const Json& p : points.at("points"))
    if (p.at("spec").contains("baths")) point = &p;
  ASSERT_NE(point, nullptr);
  const Json& expected = point->at("expected");
  const Spec spec = parse_spec(point->at("spec"));
  std::vector<double> storage;
  const RoundModel model = model_of(spec, storage);
  ASSERT_EQ(model.baths.size(), 2u);
  EXPECT_EQ(model.duration, 2 * 0.05);
  const Matrix& h_s = model.baths[0].h_s;

  Matrix rho = gibbs_state(h_s, INFINITY);  // "ground"
  const Matrix rho0 = rho;
  std::vector<double> work(2, 0.0), heat(2, 0.0);
  double sigma = 0;
  RoundThermo last;
  for (int k = 0; k < 300; ++k) {
    last = round_step(model, rho);
    for (int b = 0; b < 2; ++b) work[b] += last.work[b], heat[b] += last.heat[b];
    sigma += last.entropy_production;
    // The first law per round and the second law.
    EXPECT_NEAR(last.delta_energy, last.total_work - last.total_heat, 1e-13) << k;
    EXPECT_GE(last.entropy_production, -1e-13) << k;
    rho = last.rho_next;
  }
  const double t = model.duration;
  expect_close((h_s * rho).trace().real(), expected.at("energy"), "energy");
  expect_close(von_neumann_entropy(rho), expected.at("entropy"), "entropy");
  expect_close(population(rho, h_s, 0), expected.at("populations")[0], "populations[0]");
  expect_close(work[0] + work[1], expected.at("work"), "work");
  expect_close(heat[0] + heat[1], expected.at("heat"), "heat");
  expect_close(heat[0], expected.at("a.heat"), "a.heat");
  expect_close(work[1], expected.at("b.work"), "b.work");
  expect_close(heat[1], expected.at("b.heat"), "b.heat");
  expect_close(std::abs(work[0]), 0.0, "a.work (an exchange coupling does no work)");
  expect_close(sigma, expected.at("entropy_production"), "entropy_production");
  expect_close(last.total_work / t, expected.at("work_rate"), "work_rate");
  expect_close(last.total_heat / t, expected.at("heat_rate"), "heat_rate");
  expect_close(last.heat[0] / t, expected.at("a.heat_rate"), "a.heat_rate");
  expect_close(last.heat[1] / t, expected.at("b.heat_rate"), "b.heat_rate");
  expect_close(last.work[1] / t, expected.at("b.work_rate"), "b.work_rate");
  expect_close(last.entropy_production / t, expected.at("entropy_production_rate"),
               "entropy_production_rate");
  expect_close(von_neumann_entropy(rho) - von_neumann_entropy(rho0), expected.at("delta_entropy"),
               "delta_entropy");

  // The fixed point of the round's map, and one round from it.
  const SteadyState st = map_steady_state(round_superoperator(model), rho0);
  ASSERT_FALSE(st.oscillates);
  EXPECT_EQ(st.dimension, expected.at("stationary.dimension").get<int>());
  expect_close(-1 / std::log(st.slowest_modulus), expected.at("stationary.relaxation_collisions"),
               "stationary.relaxation_collisions");
  const RoundThermo at_rest = round_step(model, st.rho);
  expect_close((h_s * st.rho).trace().real(), expected.at("stationary.energy"),
               "stationary.energy");
  expect_close(at_rest.total_work / t, expected.at("stationary.work_rate"), "stationary.work_rate");
  expect_close(at_rest.heat[0] / t, expected.at("stationary.a.heat_rate"),
               "stationary.a.heat_rate");
  expect_close(at_rest.heat[1] / t, expected.at("stationary.b.heat_rate"),
               "stationary.b.heat_rate");
  // Energy balance at the fixed point: the work done on the system leaves as heat.
  EXPECT_NEAR(at_rest.total_work, at_rest.total_heat, 1e-13);

  // The GKSL limit: (1/K) sum_b D_b, the single-bath currents scaled by 1/K.
  const RoundGksl gksl = make_round_gksl(model);
  EXPECT_EQ(gksl.weight, 0.5);
  ASSERT_FALSE(gksl.total.odd_moment);
  const SteadyState gst = gksl_steady_state(gksl.total, rho0);
  ASSERT_FALSE(gst.oscillates);
  expect_close(population(gst.rho, h_s, 0), expected.at("gksl.populations")[0],
               "gksl.populations[0]");
  double gksl_work = 0, gksl_heat = 0;
  for (int b = 0; b < 2; ++b) {
    const double q =
        gksl.weight * gksl_current(model.baths[b], gksl.baths[b].heat_operator, gst.rho);
    gksl_heat += q;
    gksl_work += gksl.weight * gksl_current(model.baths[b], gksl.baths[b].work_operator, gst.rho);
    expect_close(q, expected.at(b == 0 ? "gksl.a.heat_rate" : "gksl.b.heat_rate"),
                 "gksl heat rate of bath " + std::to_string(b));
  }
  expect_close(gksl_work, expected.at("gksl.work_rate"), "gksl.work_rate");
  expect_close(gksl_heat, expected.at("gksl.heat_rate"), "gksl.heat_rate");
}

/// A qubit bridge: two qubit baths, each by exchange (sp sm + sm sp) with the same gap as the
/// system, so no coupling does work (a passive bridge).
Spec bridge(double beta_hot, double beta_cold, const std::string& rounds, double strength_cold) {
  const std::string bath =
      R"({"name": "%s", "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5},
      "beta": %b}, "coupling": {"terms": [{"system": {"sp": 1}, "ancilla": {"sm": 1}, "strength": %g},
                                          {"system": {"sm": 1}, "ancilla": {"sp": 1}, "strength": %g}]}})";
  const auto make = [&](const std::string& name, double beta, double g) {
    std::string s = bath;
    s.replace(s.find("%s"), 2, name);
    s.replace(s.find("%b"), 2, std::to_string(beta));
    for (int i = 0; i < 2; ++i) s.replace(s.find("%g"), 2, std::to_string(g));
    return s;
  };
  return parse_spec_text(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 0.5}},
      "baths": [)" + make("hot", beta_hot, 1.0) +
                         ", " + make("cold", beta_cold, strength_cold) + R"(], "rounds": ")" +
                         rounds + R"(", "dt": 0.05})");
}

TEST(RoundsReference, PassiveBridgeCarriesHeatFromHotToColdAndNoneAtEqualTemperatures) {
  for (const std::string rounds : {"sequential", "simultaneous"}) {
    for (const double beta_cold : {0.5, 1.0, 3.0}) {
      const Spec spec = bridge(0.5, beta_cold, rounds, 0.7);
      std::vector<double> storage;
      const RoundModel model = model_of(spec, storage);
      const Matrix rho0 = Matrix::Identity(2, 2) / 2.0;
      const SteadyState st = map_steady_state(round_superoperator(model), rho0);
      ASSERT_FALSE(st.oscillates);
      const RoundThermo r = round_step(model, st.rho);
      // Q_b is the heat into bath b: the hot bath gives heat (Q_hot < 0), the cold one takes it.
      if (beta_cold > 0.5) {
        EXPECT_LT(r.heat[0], -1e-6) << rounds << " beta_cold " << beta_cold;
        EXPECT_GT(r.heat[1], 1e-6) << rounds << " beta_cold " << beta_cold;
      } else {
        EXPECT_NEAR(r.heat[0], 0.0, 1e-13) << rounds;
        EXPECT_NEAR(r.heat[1], 0.0, 1e-13) << rounds;
      }
      EXPECT_NEAR(r.work[0] + r.work[1], r.heat[0] + r.heat[1], 1e-13) << rounds;
      EXPECT_GE(r.entropy_production, -1e-13) << rounds;
    }
  }
}

TEST(RoundsReference, SecondLawForEveryBathTemperatureAndSign) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> u(-1, 1);
  for (const std::string rounds : {"sequential", "simultaneous"}) {
    for (const double beta_hot : {-2.0, -0.3, 0.0, 0.4, kInf})
      for (const double beta_cold : {-kInf, -1.0, 0.7, 5.0}) {
        const std::string b1 = std::isinf(beta_hot) ? "\"inf\"" : std::to_string(beta_hot);
        const std::string b2 = std::isinf(beta_cold) ? "\"-inf\"" : std::to_string(beta_cold);
        const Spec spec = parse_spec_text(
            R"({"system": {"space": {"spin": 1}, "hamiltonian": {"jz": 1, "jx": 0.3}},
          "baths": [{"name": "a", "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.7}, "beta": )" +
            b1 + R"(}, "coupling": {"terms": [{"system": {"jx": 1}, "ancilla": {"sx": 0.8}}]}},
                    {"name": "b", "ancilla": {"space": "qubit", "hamiltonian": {"sz": 1.3}, "beta": )" +
            b2 + R"(}, "coupling": {"terms": [{"system": {"jz": 1}, "ancilla": {"sy": 0.5}},
                                                                          {"system": {"jy": 1}, "ancilla": {"sx": 0.4}}]}}],
          "rounds": ")" +
            rounds + R"(", "dt": 0.1, "initial_state": "mixed"})");
        std::vector<double> storage;
        const RoundModel model = model_of(spec, storage);
        Matrix rho = Matrix::Identity(3, 3) / 3.0;
        rho(0, 1) = std::complex<double>(0.1 * u(rng), 0.1 * u(rng));
        rho(1, 0) = std::conj(rho(0, 1));
        for (int k = 0; k < 30; ++k) {
          const RoundThermo r = round_step(model, rho);
          EXPECT_GE(r.entropy_production, -1e-12) << rounds << " " << b1 << " " << b2 << " " << k;
          EXPECT_NEAR(r.delta_energy, r.total_work - r.total_heat, 1e-12) << rounds;
          rho = r.rho_next;
        }
      }
  }
}

TEST(RoundsReference, OneBathIsTheSingleBathCollisionAndSimultaneousEqualsSequentialForOne) {
  const Spec spec =
      parse_spec_text(R"({"system": {"space": "qubit", "hamiltonian": {"sz": 0.5, "sx": 0.2}},
    "baths": [{"name": "only", "ancilla": {"space": {"spin": 1}, "hamiltonian": {"jz": 0.8}, "beta": 0.6},
               "coupling": {"terms": [{"system": {"sx": 1}, "ancilla": {"jx": 0.9}}]}}], "dt": 0.07})");
  std::vector<double> storage;
  const RoundModel sequential = model_of(spec, storage);
  const RoundModel simultaneous = make_round_model(sequential.baths, core::Rounds::simultaneous);
  Matrix rho = Matrix::Identity(2, 2) / 2.0;
  rho(0, 1) = rho(1, 0) = 0.2;
  for (int k = 0; k < 5; ++k) {
    const CollisionThermo c = collide(sequential.baths[0], rho);
    const RoundThermo a = round_step(sequential, rho), b = round_step(simultaneous, rho);
    EXPECT_EQ((a.rho_next - c.rho_next).norm(), 0.0);
    EXPECT_EQ(a.heat[0], c.heat);
    EXPECT_EQ(a.work[0], c.work);
    EXPECT_EQ(a.entropy_production, c.entropy_production);
    EXPECT_LE((b.rho_next - c.rho_next).norm(), 1e-14);
    EXPECT_NEAR(b.heat[0], c.heat, 1e-14);
    EXPECT_NEAR(b.work[0], c.work, 1e-14);
    EXPECT_NEAR(b.entropy_production, c.entropy_production, 1e-13);
    rho = c.rho_next;
  }
}

}  // namespace
}  // namespace qcm::reference
