// @file tests: the claims of PHYSICS.md §6 about the paper's figures, each checked on a
// scaled-down version of the figure's spec (examples/fig*.json) run through the driver on
// the cpu backend. docs/figures.md lists the same claims with the full-size numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "driver/driver.hpp"
#include "io/result_writer.hpp"
#include "qcm/backend.hpp"
#include "qcm/columns.hpp"
#include "qcm/spec.hpp"

namespace qcm {
namespace {

constexpr double kPi = std::numbers::pi;

// The Fig. 1(b-d) initial state cos(15pi/16)|g> + sin(15pi/16)|e>.
const Json kPaperKet = Json::parse(
    R"({"ket": {"excited": [0.1950903220161286, 0], "ground": [-0.9807852804032304, 0]}})");

// A finished run: the table plus name-based access.
class Result {
 public:
  explicit Result(const Json& document, std::uint32_t groups = kDefaultGroups)
      : spec_(parse_spec(document)) {
    RunOptions options;
    options.backend = "cpu";
    options.request = make_request(spec_, groups);
    const auto backend = make_backend("cpu", Precision::double_);
    run_sweep(spec_, options, *backend, table_);
  }

  std::size_t rows() const { return table_.values().size(); }
  /// Value of a result column ("beta_eff", "stationary.heat_rate", ...) in a row.
  double operator()(std::size_t row, std::string_view column) const {
    const int k = table_.value_index(column);
    EXPECT_GE(k, 0) << "no column " << column;
    return k < 0 ? std::nan("") : table_.values()[row][static_cast<std::size_t>(k)];
  }
  /// Value of swept column `col` (in sweep order) in a row, as a number.
  double swept(std::size_t row, std::size_t col) const {
    return table_.swept()[row][col].get<double>();
  }
  const Json& swept_json(std::size_t row, std::size_t col) const {
    return table_.swept()[row][col];
  }
  /// Series sample `s` of row `row`, series column `c`.
  double sample(std::size_t row, std::size_t s, SeriesColumn c) const {
    return table_.series()[row][s][c];
  }
  std::size_t samples(std::size_t row) const { return table_.series()[row].size(); }
  /// The row whose swept values are (close to) `values`.
  std::size_t find(const std::vector<double>& values) const {
    for (std::size_t r = 0; r < rows(); ++r) {
      bool match = true;
      for (std::size_t c = 0; c < values.size(); ++c)
        match = match && std::abs(swept(r, c) - values[c]) <= 1e-12 * (1 + std::abs(values[c]));
      if (match) return r;
    }
    ADD_FAILURE() << "no row with the requested swept values";
    return 0;
  }

 private:
  Spec spec_;
  MemoryTable table_;
};

// ---- Fig. 1(a): beta_eff / beta against J_yy / J_xx ----------------------------------------

const std::vector<double> kFig1aBetas = {1, 3, 5, 9};
const std::vector<double> kFig1aRatios = {-2,   -1.5, -1,   -0.75, -0.5, -0.25, 0,
                                          0.25, 0.5,  0.75, 1,     1.5,  2,     4};

Json fig1a_spec() {
  Json doc = Json::parse(R"({
    "ancilla": {"omega": 1.0}, "coupling": {"xx": 1.0}, "dt": 0.05, "collisions": 1000})");
  doc["initial_state"] = kPaperKet;
  doc["sweep"]["grid"]["ancilla.beta"] = kFig1aBetas;
  doc["sweep"]["grid"]["coupling.yy"] = kFig1aRatios;
  return doc;
}

// PHYSICS.md §6: beta_eff omega_S = ln[(R^2 p_g + C^2 p_e) / (R^2 p_e + C^2 p_g)].
double fig1a_closed_form(double r, double beta) {
  const double big_r = 1 + r, big_c = 1 - r;
  const double pe = 0.5 * (1 - std::tanh(beta / 2)), pg = 1 - pe;
  return std::log((big_r * big_r * pg + big_c * big_c * pe) /
                  (big_r * big_r * pe + big_c * big_c * pg));
}

TEST(PaperClaims, Fig1aEffectiveTemperature) {
  const Result res(fig1a_spec());
  ASSERT_EQ(res.rows(), kFig1aBetas.size() * kFig1aRatios.size());
  auto ratio = [&](double beta, double r, std::string_view col = "beta_eff") {
    return res(res.find({beta, r}), col) / beta;
  };
  for (double beta : kFig1aBetas) {
    SCOPED_TRACE("beta = " + std::to_string(beta));
    // Equilibrium at J_yy = J_xx, maximally mixed at J_yy = 0 (finite dt: 4e-4 at beta = 1).
    EXPECT_NEAR(ratio(beta, 1), 1.0, 1e-9);
    EXPECT_NEAR(ratio(beta, 0), 0.0, 1e-3);
    EXPECT_NEAR(ratio(beta, 0, "gksl.beta_eff"), 0.0, 1e-12);
    for (double r : kFig1aRatios) {
      SCOPED_TRACE("J_yy/J_xx = " + std::to_string(r));
      const double q = ratio(beta, r), g = ratio(beta, r, "gksl.beta_eff");
      EXPECT_LE(std::abs(q), 1 + 1e-9);  // |beta_eff / beta| <= 1
      EXPECT_LE(std::abs(g), 1 + 1e-12);
      if (r < 0) {
        EXPECT_LT(q, -0.01);  // population inversion
      } else if (r > 0) {
        EXPECT_GT(q, 0.01);
      }
      // The continuous limit is the closed form; dt = 0.05 is within 0.035 of it for
      // |r| <= 2 (largest difference 0.032, at r = -2, beta = 3).
      EXPECT_NEAR(g * beta, fig1a_closed_form(r, beta), 1e-9);
      if (std::abs(r) <= 2) {
        EXPECT_NEAR(q, g, 0.035);
      }
    }
    // r -> 1/r symmetry of the continuous limit.
    for (auto [r, s] : {std::pair{0.5, 2.0}, {-0.5, -2.0}, {0.25, 4.0}}) {
      EXPECT_NEAR(ratio(beta, r, "gksl.beta_eff"), ratio(beta, s, "gksl.beta_eff"), 1e-10)
          << "r = " << r;
    }
  }
  // 0 < r != 1: colder ancillas leave the system further below equilibrium; r < 0: the
  // distance |1 - beta_eff/beta| shrinks instead.
  for (double r : kFig1aRatios) {
    if (r == 0 || r == 1 || r == -1) continue;
    for (std::size_t b = 0; b + 1 < kFig1aBetas.size(); ++b) {
      const double hot = ratio(kFig1aBetas[b], r), cold = ratio(kFig1aBetas[b + 1], r);
      if (r > 0) {
        EXPECT_LT(cold, hot - 1e-4) << "r = " << r << ", beta = " << kFig1aBetas[b + 1];
      } else {
        EXPECT_LT(std::abs(1 - cold), std::abs(1 - hot) - 1e-4)
            << "r = " << r << ", beta = " << kFig1aBetas[b + 1];
      }
    }
  }
  // At r = -1, 0, 1 the ratio does not depend on beta.
  for (double r : {-1.0, 0.0, 1.0}) {
    double lo = 2, hi = -2;
    for (double beta : kFig1aBetas) {
      lo = std::min(lo, ratio(beta, r));
      hi = std::max(hi, ratio(beta, r));
    }
    EXPECT_LT(hi - lo, r == 0 ? 5e-4 : 1e-9) << "r = " << r;
  }
}

// Balanced but off-resonant: beta_eff omega_S = beta omega_A.
TEST(PaperClaims, Fig1aOffResonantBalancedCoupling) {
  const Result res(Json::parse(R"({
    "coupling": {"xx": 1.0, "yy": 1.0}, "initial_state": "excited",
    "sweep": {"grid": {"ancilla.beta": [1, 3], "ancilla.omega": [0.5, 2.0],
                       "system.omega": [1.0, 1.5]}}})"));
  for (std::size_t row = 0; row < res.rows(); ++row) {
    const double beta = res.swept(row, 0), omega_a = res.swept(row, 1);
    const double omega_s = res.swept(row, 2);
    EXPECT_NEAR(res(row, "beta_eff") * omega_s, beta * omega_a, 1e-8) << "row " << row;
    EXPECT_NEAR(res(row, "gksl.beta_eff") * omega_s, beta * omega_a, 1e-10) << "row " << row;
  }
}

// ---- Fig. 1(b-d): currents against time --------------------------------------------------

TEST(PaperClaims, Fig1bcdCurrents) {
  Json doc = Json::parse(R"({
    "ancilla": {"beta": 1.0}, "coupling": {"xx": 1.0}, "dt": 0.05, "collisions": 1000,
    "series": {"every": 1}, "sweep": {"grid": {"coupling.yy": [-0.5, 0, 0.5, 1]}}})");
  doc["initial_state"] = kPaperKet;
  const Result res(doc);
  ASSERT_EQ(res.rows(), 4u);
  const std::size_t balanced = res.find({1.0});
  ASSERT_EQ(res.samples(balanced), 1000u);
  // J_yy = J_xx: the work current is zero at every collision, so is the work.
  for (std::size_t s = 0; s < res.samples(balanced); ++s) {
    ASSERT_NEAR(res.sample(balanced, s, kSeriesWorkRate), 0.0, 1e-12) << "sample " << s;
    ASSERT_NEAR(res.sample(balanced, s, kSeriesWork), 0.0, 1e-12) << "sample " << s;
  }
  // ... heat and entropy-production currents vanish in the ESS; a finite amount of heat
  // entered the system during the transient (Q < 0 is heat out of the ancillas).
  EXPECT_NEAR(res(balanced, "heat_rate"), 0.0, 1e-12);
  EXPECT_NEAR(res(balanced, "entropy_production_rate"), 0.0, 1e-12);
  EXPECT_LT(res(balanced, "heat"), -0.1);
  EXPECT_GT(res(balanced, "entropy_production"), 0.1);

  // Every other ratio: a NESS with constant, equal, non-zero work and heat currents (qcm's
  // W counts work done on the system, so W = +Q; see docs/figures.md), largest at J_yy = 0.
  double largest = 0, largest_at = 99;
  for (double r : {-0.5, 0.0, 0.5}) {
    const std::size_t row = res.find({r});
    const double w = res(row, "work_rate"), q = res(row, "heat_rate");
    EXPECT_GT(w, 0.1) << "r = " << r;
    EXPECT_NEAR(w, q, 1e-9 * w) << "r = " << r;
    EXPECT_NEAR(res(row, "entropy_production_rate"), q, 1e-9 * q) << "beta = 1: sigma = Q";
    EXPECT_NEAR(w, res(row, "stationary.work_rate"), 1e-9 * w) << "relaxed within n";
    // Linear growth: the last 500 collisions add 500 dt times the steady current.
    const std::size_t n = res.samples(row);
    const double growth =
        res.sample(row, n - 1, kSeriesWork) - res.sample(row, n / 2 - 1, kSeriesWork);
    EXPECT_NEAR(growth, w * 500 * 0.05, 1e-6 * growth) << "r = " << r;
    if (w > largest) largest = w, largest_at = r;
  }
  EXPECT_EQ(largest_at, 0.0);
}

// PHYSICS.md §3 identity 3: in every steady state W = Q and Sigma = beta Q >= 0.
TEST(PaperClaims, SteadyWorkRateEqualsHeatRateForEveryNess) {
  const Result res(Json::parse(R"({
    "coupling": {"xx": 1.0}, "initial_state": "mixed",
    "sweep": {"grid": {"ancilla.beta": [-1.5, 0, 0.5, 3],
                       "coupling.yy": [-0.5, 0.3, 1.0],
                       "coupling.zy": [0, 0.7],
                       "coupling.xz": [0, 0.4],
                       "system.omega": [1.0, 1.7]}}})"),
                   kGroupStationary);
  std::size_t ness = 0;
  for (std::size_t row = 0; row < res.rows(); ++row) {
    const double beta = res.swept(row, 0);
    const double w = res(row, "stationary.work_rate"), q = res(row, "stationary.heat_rate");
    const double sigma = res(row, "stationary.entropy_production_rate");
    ASSERT_TRUE(std::isfinite(w) && std::isfinite(q)) << "row " << row;
    const double scale = 1e-9 * std::max(1.0, std::abs(q));
    EXPECT_NEAR(w, q, scale) << "row " << row;
    EXPECT_NEAR(sigma, beta * q, scale * std::max(1.0, std::abs(beta))) << "row " << row;
    EXPECT_GE(sigma, -1e-12) << "row " << row;
    if (std::abs(q) > 1e-3) ++ness;
  }
  EXPECT_GT(ness, res.rows() / 2);
}

// ---- Fig. 2(a): l1 coherence against alpha -----------------------------------------------

TEST(PaperClaims, Fig2aCoherence) {
  Json doc = Json::parse(R"({
    "coupling": {"gamma": 0.4636476090008061, "perpendicular": 1.118033988749895},
    "sweep": {"grid": {"ancilla.beta": [1, 3, 9],
                       "coupling.alpha": {"linspace": [0, 1.2, 49]}}}})");
  doc["initial_state"] = kPaperKet;
  const Result res(doc);
  double previous_peak = 0;
  for (double beta : {1.0, 3.0, 9.0}) {
    SCOPED_TRACE("beta = " + std::to_string(beta));
    double peak = -1, peak_alpha = -1;
    for (std::size_t row = 0; row < res.rows(); ++row) {
      if (res.swept(row, 0) != beta) continue;
      const double c = res(row, "coherence_l1"), alpha = res.swept(row, 1);
      if (alpha == 0) {
        EXPECT_NEAR(c, 0.0, 1e-12);
      }
      if (c > peak) peak = c, peak_alpha = alpha;
      if (alpha > 0 && beta > 1) {  // colder: more coherence at every alpha
        const double hotter = res(res.find({beta == 3 ? 1.0 : 3.0, alpha}), "coherence_l1");
        EXPECT_GT(c, hotter) << "alpha = " << alpha;
      }
    }
    EXPECT_NEAR(peak_alpha, kPi / 4, 0.06);
    if (beta == 1) {
      EXPECT_NEAR(peak, 0.40, 0.01);
    }
    EXPECT_GT(peak, previous_peak);
    previous_peak = peak;
  }
  // Zero as alpha -> pi/2 holds in the continuous limit (at dt = 0.05 the collision model
  // leaves it once sqrt(dt) J_zy ~ 1, alpha >~ 1.3; docs/figures.md).
  const Result edge(Json::parse(R"({
    "coupling": {"gamma": 0.4636476090008061, "perpendicular": 1.118033988749895},
    "sweep": {"grid": {"ancilla.beta": [1, 9], "coupling.alpha": [1.5607963267948966, 1.5697963267948966]}}})"),
                    kGroupGksl);
  for (std::size_t row = 0; row < edge.rows(); ++row)
    EXPECT_LT(edge(row, "gksl.coherence_l1"), 2 * (kPi / 2 - edge.swept(row, 1)))
        << "beta = " << edge.swept(row, 0) << ", alpha = " << edge.swept(row, 1);
}

// PHYSICS.md §6: Eq. 31 at fixed strength is a different curve (peak 0.35 at beta = 1).
TEST(PaperClaims, Fig2aIsNotEq31AtFixedStrength) {
  const Result res(Json::parse(R"({
    "coupling": {"gamma": 0.4636476090008061, "strength": 1.0},
    "ancilla": {"beta": 1},
    "sweep": {"grid": {"coupling.alpha": {"linspace": [0, 1.5, 61]}}}})"),
                   kGroupStationary);
  double peak = 0;
  for (std::size_t row = 0; row < res.rows(); ++row)
    peak = std::max(peak, res(row, "stationary.coherence_l1"));
  EXPECT_NEAR(peak, 0.35, 0.01);
}

// ---- Fig. 3: ergotropy -----------------------------------------------------------------

TEST(PaperClaims, Fig3bInitialStateDependence) {
  const Result res(Json::parse(R"({
    "coupling": {"gamma": 0.0, "strength": 1.0}, "ancilla": {"beta": 1},
    "sweep": {"grid": {"initial_state": ["excited", "ground"],
      "coupling.alpha": [0.3141592653589793, 0.6283185307179586, 0.7853981633974483,
                         0.9424777960769379, 1.2566370614359172, 1.413716694115407,
                         1.5079644737231006]}}})"));
  const std::size_t half = res.rows() / 2;
  ASSERT_EQ(res.swept_json(0, 0), "excited");
  ASSERT_EQ(res.swept_json(half, 0), "ground");
  const double n = 1000;
  for (std::size_t i = 0; i < half; ++i) {
    const double alpha = res.swept(i, 1);
    const double relax = res(i, "stationary.relaxation_collisions");
    EXPECT_NEAR(relax, res(half + i, "stationary.relaxation_collisions"), 1e-9 * relax);
    const double diff = res(i, "ergotropy") - res(half + i, "ergotropy");
    SCOPED_TRACE("alpha/pi = " + std::to_string(alpha / kPi));
    if (relax < n / 10) {
      EXPECT_LT(std::abs(diff), 1e-3);
      // ... and both are the fixed point's ergotropy
      EXPECT_NEAR(res(i, "ergotropy"), res(i, "stationary.ergotropy"), 1e-3);
    }
    if (alpha <= 0.4 * kPi + 1e-12) {
      EXPECT_LT(relax, n / 3);
    } else if (alpha >= 0.45 * kPi - 1e-12) {
      EXPECT_GT(relax, n / 3);
    }
  }
  // Rows 5 and 6 are alpha = 0.45 pi and 0.48 pi.
  EXPECT_NEAR(res(5, "ergotropy") - res(half + 5, "ergotropy"), 0.09, 0.01);
  EXPECT_NEAR(res(6, "ergotropy") - res(half + 6, "ergotropy"), 0.68, 0.03);
}

TEST(PaperClaims, Fig3aMaximumErgotropy) {
  const Result res(Json::parse(R"({
    "coupling": {"strength": 1.0}, "ancilla": {"beta": 1}, "initial_state": "excited",
    "sweep": {"grid": {"coupling.gamma": {"linspace": [-1.5707963267948966, 1.5707963267948966, 21]},
                       "coupling.alpha": {"linspace": [0, 1.5707963267948966, 21]}}}})"));
  double best = -1, best_alpha = -1, best_gamma = -9;
  for (std::size_t row = 0; row < res.rows(); ++row) {
    const double gamma = res.swept(row, 0), alpha = res.swept(row, 1);
    const double e = res(row, "ergotropy");
    EXPECT_GE(e, -1e-12);
    if (res(row, "stationary.relaxation_collisions") >= 1000.0 / 3 || alpha > 0.4 * kPi)
      continue;  // not relaxed within n collisions (or close to it)
    if (e > best) best = e, best_alpha = alpha, best_gamma = gamma;
  }
  EXPECT_NEAR(best, std::tanh(0.5), 1e-6);
  EXPECT_NEAR(best_alpha, 0.0, 1e-12);
  EXPECT_NEAR(best_gamma, -kPi / 4, 1e-12);
  // The Gibbs state at -beta: beta_eff = -1.
  EXPECT_NEAR(res(res.find({-kPi / 4, 0.0}), "beta_eff"), -1.0, 1e-9);
  // alpha -> pi/2: dephasing dominates and |e> keeps its ergotropy (-> omega).
  EXPECT_NEAR(res(res.find({0.0, kPi / 2}), "ergotropy"), 1.0, 1e-6);
}

}  // namespace
}  // namespace qcm
