// @file tests: numerically extreme parameters on every backend (docs/robustness.md).
//
// Each scenario runs on reference (double), cpu (double, float) and cuda
// (double, float; skipped at run time without a device) and checks that
//  - the state stays physical: |r| <= 1 + rounding for the final, stationary
//    and GKSL states and every series sample; entropy production >= 0 for
//    finite beta, Sigma = I(S:A)' + D(rho'_A || rho_A) and Delta E = W - Q
//    (docs/physics.md §3, identities 1 and 2);
//  - no value is NaN unless its column is flagged undefined
//    (ChunkResult::flags -> undefined_reasons, src/io/undefined.hpp);
//  - +-inf appears only where docs/results.md allows it (beta_eff of a pure
//    population; entropy production at beta = +-inf);
//  - every backend agrees with the reference within tolerance_for(precision)
//    (the tolerance of `qcm validate`), relaxed only where a comment says why
//    (the same relaxations are listed in docs/robustness.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "driver/compare.hpp"
#include "io/undefined.hpp"
#include "qcm/backend.hpp"
#include "qcm/columns.hpp"
#include "qcm/core/tolerances.hpp"
#include "support/compare.hpp"

namespace qcm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kAllGroups =
    kGroupFinal | kGroupStationary | kGroupGksl | kGroupDecomposition;

struct Config {
  const char* backend;
  Precision precision;
};

// Readable test labels (gtest would print the raw bytes of the struct).
void PrintTo(const Config& c, std::ostream* os) {
  *os << c.backend << (c.precision == Precision::double_ ? " double" : " float");
}

using test::describe;
using test::requested;

core::PointParams make_point(double omega_s, double omega_a, double beta, double jxx, double jyy,
                             double dt, std::int64_t n) {
  core::PointParams p;
  p.omega_s = omega_s;
  p.omega_a = omega_a;
  p.beta = beta;
  p.coupling[0][0] = jxx;
  p.coupling[1][1] = jyy;
  p.dt = dt;
  p.collisions = n;
  return p;
}

void set_bloch(core::PointParams& p, double x, double y, double z) {
  p.bloch0[0] = x;
  p.bloch0[1] = y;
  p.bloch0[2] = z;
}

/// The initial states used throughout: ground, excited, mixed, a mixed state
/// with coherences, and a pure state with coherences.
const std::vector<std::array<double, 3>>& initial_states() {
  static const std::vector<std::array<double, 3>> states = {
      {0, 0, -1}, {0, 0, 1}, {0, 0, 0}, {0.3, -0.4, 0.5}, {0.6, 0, 0.8}};
  return states;
}

bool is_beta_eff(int c) {
  return kColumnTable[c].quantity == Quantity::beta_eff;
}
bool is_entropy_production(int c) {
  return c == kEntropyProduction || c == kEntropyProductionRate ||
         c == kStatEntropyProductionRate || c == kGkslEntropyProductionRate ||
         c == kAncillaRelativeEntropy;
}

/// Where docs/results.md allows +-inf.
bool inf_allowed(int column, const core::PointParams& p) {
  if (is_beta_eff(column)) return true;  // pure population: ln(p_g/p_e) = +-inf
  // beta = +-inf: Sigma = Delta S + beta Q is +inf once Q != 0; D(rho'_A || rho_A)
  // is +inf when the ancilla leaves its pure Gibbs state.
  if (is_entropy_production(column) && std::isinf(p.beta)) return true;
  return false;
}

double unit_roundoff(Precision precision) {
  return precision == Precision::double_ ? 0x1p-52 : 0x1p-23;
}

// ---------------------------------------------------------------------------
// Rounding model (docs/robustness.md, "Numerically extreme parameters").
//
// tolerance_for(precision) is sized for ordinary parameters (|J|, omega ~ 1,
// dt ~ 0.05, n ~ 10^3). At extreme parameters rounding grows in known ways,
// and the tests widen the tolerance by exactly these terms (C = 16, eps the
// unit roundoff of the tested precision, E = max(1, |omega_S|, |omega_A|) +
// ||H_SA|| the energy scale of one collision, ||H_SA|| = sum |J_lm| / sqrt(dt)
// (ultrastrong) or sum |J_lm| (fixed), n collisions):
//  - the state after n collisions: C eps (1 + E dt) n, since each collision
//    applies a map computed to ~eps (1 + ||dt H||), and a rotation-like map
//    does not damp the error (it drifts linearly);
//  - a per-collision energy W_k, Q_k, Delta E_k is a difference of O(E)
//    energies: C eps E absolutely, so the rates (divided by dt) get C eps E / dt
//    and the sums over n collisions n C eps E; entropy production multiplies
//    the heat by beta: a factor 1 + |beta| max(1, |omega_A|) (so does the
//    ancilla relative entropy, through ln p_e = -beta omega_A + ...);
//  - an entropy evaluated near a pure state (-x ln x at x ~ eps) is off by
//    eps ln(1/eps), and a running sum of n terms (no compensated summation)
//    has a relative error up to n eps: measured up to 3% of that bound (float,
//    10^6 collisions), so cumulative sums get a relative n eps / 4;
//  - the stationary state amplifies the error of the map by the relaxation
//    time tau = stationary.relaxation_collisions: C eps tau (1 + E dt), and tau
//    itself (from the eigenvalues of a 3x3 matrix, ill-conditioned near a
//    double root) gets a relative C sqrt(eps) tau.
// For ordinary parameters every term is far below tolerance_for.
double coupling_norm(const core::PointParams& p) {
  double s = 0;
  for (const auto& row : p.coupling)
    for (double j : row) s += std::fabs(j);
  return p.scaling == core::Scaling::ultrastrong ? s / std::sqrt(p.dt) : s;
}
double energy_scale(const core::PointParams& p) {
  return std::max({1.0, std::fabs(p.omega_s), std::fabs(p.omega_a)}) + coupling_norm(p);
}
double thermo_factor(const core::PointParams& p) {
  return std::isfinite(p.beta) ? 1 + std::fabs(p.beta) * std::max(1.0, std::fabs(p.omega_a)) : 1;
}
bool is_rate(int c) {
  return c == kWorkRate || c == kHeatRate || c == kEntropyProductionRate || c == kStatWorkRate ||
         c == kStatHeatRate || c == kStatEntropyProductionRate;
}
bool is_cumulative(int c) {
  return c == kWork || c == kHeat || c == kDeltaEnergy || c == kEntropyProduction ||
         c == kDeltaEntropy || c == kMutualInformation || c == kAncillaRelativeEntropy;
}
bool is_entropic(int c) {
  return c == kDeltaEntropy || c == kEntropyProduction || c == kMutualInformation ||
         c == kAncillaRelativeEntropy;
}
constexpr double kC = 16;

Tolerance widened(int column, const core::PointParams& p, double tau, double eps, Tolerance tol) {
  const double e = energy_scale(p), n = static_cast<double>(p.collisions);
  const double entropy = (column == kEntropyProduction || column == kEntropyProductionRate ||
                          column == kStatEntropyProductionRate ||
                          column == kAncillaRelativeEntropy)  // its -p' ln p_e = p' beta omega_A
                             ? thermo_factor(p)
                             : 1.0;
  if (column >= kStatBlochX && column < kGkslBlochX) {
    const double t = std::isfinite(tau) ? std::max(1.0, tau) : 1.0;
    tol.atol += kC * eps * t * (1 + e * p.dt) * (is_rate(column) ? e / p.dt * entropy : 1.0);
    if (column == kStatRelaxationCollisions) tol.rtol += kC * std::sqrt(eps) * t;
    return tol;
  }
  // The GKSL limit does not depend on dt and n.
  if (column >= kGkslBlochX && column < kMutualInformation) return tol;
  tol.atol += kC * eps * (1 + e * p.dt) * n;  // the state
  if (is_rate(column)) tol.atol += kC * eps * e / p.dt * entropy;
  if (is_cumulative(column)) {
    // An entropy near a pure state, -x ln x at x ~ eps, is off by eps ln(1/eps).
    const double log_term = is_entropic(column) ? std::log(1 / eps) : 1.0;
    tol.atol += kC * eps * e * n * entropy * log_term;
    // A running sum of n terms in the working precision (no compensation):
    // relative n eps in the worst case; measured: up to 3% of that.
    tol.rtol += n * eps / 4;
  }
  return tol;
}

/// Slack on |r| <= 1, not growing with n: the state must stay physical
/// (as tests/kernel_test.cpp: 1e-12 in double, 64 eps = 7.6e-6 in float).
double norm_slack(Precision precision) {
  return precision == Precision::double_ ? 1e-12 : 64 * unit_roundoff(precision);
}

std::set<int> nullable_columns(std::uint32_t flags, std::uint32_t groups) {
  std::set<int> columns;
  for (const UndefinedReason& r : undefined_reasons(flags, groups))
    columns.insert(r.columns.begin(), r.columns.end());
  return columns;
}

/// The checks that need no second backend.
void expect_physical(const ChunkResult& out, const std::vector<core::PointParams>& points,
                     const RunRequest& request, Precision precision) {
  int failures = 0;
  const double eps = unit_roundoff(precision), slack = norm_slack(precision);
  const Tolerance tol = tolerance_for(precision);
  const auto at = [&](std::size_t p) { return " at " + describe(points[p]); };
  ASSERT_EQ(out.points, points.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    const core::PointParams& pt = points[p];
    const std::set<int> nullable = nullable_columns(out.flags[p], request.groups);
    for (int c = 0; c < kQubitColumnCount; ++c) {
      if (!requested(c, request.groups)) continue;
      const double v = out.value(c, p);
      if (std::isnan(v) && !nullable.count(c) && failures++ < 25)
        ADD_FAILURE() << kColumnNames[c] << " is NaN but not flagged undefined" << at(p);
      if (std::isinf(v) && !inf_allowed(c, pt) && failures++ < 25)
        ADD_FAILURE() << kColumnNames[c] << " is " << v << at(p);
    }
    for (int first : {int(kBlochX), int(kStatBlochX), int(kGkslBlochX)}) {
      if (!requested(first, request.groups)) continue;
      const double x = out.value(first, p), y = out.value(first + 1, p),
                   z = out.value(first + 2, p);
      if (std::isnan(x) || std::isnan(y) || std::isnan(z)) continue;  // flagged (checked above)
      const double r = std::sqrt(x * x + y * y + z * z);
      if (!(r <= 1 + slack) && failures++ < 25)
        ADD_FAILURE() << kColumnNames[first] << ", _y, _z: |r| = 1 + " << r - 1 << " (not a state)"
                      << at(p);
    }
    if (requested(kEntropyProduction, request.groups) && std::isfinite(pt.beta)) {
      // Sigma >= 0 (docs/physics.md §3, identity 2), up to the rounding of Delta S + beta Q.
      const double sigma = out.value(kEntropyProduction, p);
      const double allowed = widened(kEntropyProduction, pt, 0, eps, tol).atol;
      if (!std::isnan(sigma) && !(sigma >= -allowed) && failures++ < 25)
        ADD_FAILURE() << "entropy_production = " << sigma << " < 0" << at(p);
    }
    if (requested(kWork, request.groups) && !std::isnan(out.value(kWork, p))) {
      // First law, per collision and so in sum: Delta E = W - Q.
      const double de = out.value(kDeltaEnergy, p), w = out.value(kWork, p),
                   q = out.value(kHeat, p);
      const Tolerance wt = widened(kWork, pt, 0, eps, tol);
      const double allowed = wt.atol + wt.rtol * (std::fabs(w) + std::fabs(q));
      if (!(std::fabs(de - (w - q)) <= allowed) && failures++ < 25)
        ADD_FAILURE() << "first law: delta_energy " << de << " != work - heat " << w - q << at(p);
    }
    if (requested(kMutualInformation, request.groups)) {
      // Sigma = I(S:A)' + D(rho'_A || rho_A) summed over the collisions (identity 2).
      const double sigma = out.value(kEntropyProduction, p), i = out.value(kMutualInformation, p),
                   d = out.value(kAncillaRelativeEntropy, p);
      const Tolerance w = widened(kEntropyProduction, pt, 0, eps, tol);
      const double allowed = w.atol + w.rtol * std::fabs(sigma);
      if (std::isfinite(sigma) && std::isfinite(i) && std::isfinite(d) &&
          !(std::fabs(sigma - (i + d)) <= allowed) && failures++ < 25)
        ADD_FAILURE() << "entropy_production " << sigma << " != mutual_information + "
                      << "ancilla_relative_entropy " << i + d << at(p);
      if (std::isfinite(sigma) && (std::isinf(i) || std::isinf(d)) && failures++ < 25)
        ADD_FAILURE() << "entropy_production " << sigma << " is finite but mutual_information " << i
                      << ", ancilla_relative_entropy " << d << at(p);
    }
    for (std::int64_t s = 0; s < out.sample_counts[p]; ++s) {
      for (int c = 0; c < kQubitSeriesColumnCount; ++c) {
        const double v = out.sample(s, c, p);
        const bool inf_ok = std::isinf(pt.beta) &&
                            (c == kSeriesEntropyProductionRate || c == kSeriesEntropyProduction);
        if ((std::isnan(v) || (std::isinf(v) && !inf_ok)) && failures++ < 25)
          ADD_FAILURE() << "series " << kSeriesColumnNames[c] << " sample " << s << " is " << v
                        << at(p);
      }
      const double x = out.sample(s, kSeriesBlochX, p), y = out.sample(s, kSeriesBlochY, p),
                   z = out.sample(s, kSeriesBlochZ, p);
      const double r = std::sqrt(x * x + y * y + z * z);
      if (!(r <= 1 + slack) && failures++ < 25)
        ADD_FAILURE() << "series sample " << s << ": |r| = 1 + " << r - 1 << " (not a state)"
                      << at(p);
    }
  }
}

/// At beta = +-inf, Sigma_k is +inf when Q_k != 0 and Delta S_k when Q_k = 0
/// (docs/physics.md §3), with "= 0" meaning |Q_k| <= Tolerances::heat_zero =
/// 64 eps max(1, |omega_A|) (include/qcm/core/tolerances.hpp). Where Q_k is at that threshold the
/// two sides may decide differently: then one side is +inf and the other a
/// Delta S at rounding level (double). In float the threshold is 7.6e-6, above
/// the per-collision heat once dt J^2 is small, so there a finite Sigma (= Delta
/// S, even negative) against inf is the documented float limitation.
bool inf_versus_rounding(double a, double b, const core::PointParams& p, int column,
                         Precision precision, Tolerance tol) {
  if (!std::isinf(p.beta) || !is_entropy_production(column)) return false;
  if (std::isinf(a) == std::isinf(b)) return false;
  const double finite = std::isinf(a) ? b : a;
  return precision == Precision::float_ || std::fabs(finite) <= tol.atol;
}

/// Backend against reference, column by column and sample by sample, with the
/// tolerance of `qcm validate` widened by the rounding model above.
void expect_agree(const ChunkResult& tested, const ChunkResult& ref,
                  const std::vector<core::PointParams>& points, const RunRequest& request,
                  Precision precision) {
  ASSERT_EQ(tested.points, ref.points);
  const double eps = unit_roundoff(precision);
  // An eigenvalue of the collision map counts as 1 (or as "on the unit circle")
  // within a tolerance (docs/steady-states.md): 1e-10 in double, 2e-5 in float.
  // Within a factor 10 of it the two sides may classify differently; the same
  // when one collision barely changes the state: 1 - |lambda| is of order
  // (||H_SA|| dt)^2 for the slowest modes.
  const double eigen_tolerance = precision == Precision::double_
                                     ? core::Tolerances<double>::unit_eigenvalue
                                     : core::Tolerances<float>::unit_eigenvalue;
  const auto stationary_borderline = [&](std::size_t p) {
    const double tau = ref.value(kStatRelaxationCollisions, p);
    const double tau_tested = tested.value(kStatRelaxationCollisions, p);
    const double kick = coupling_norm(points[p]) * points[p].dt;
    return requested(kStatBlochX, request.groups) &&
           ((std::isfinite(tau) && tau >= 0.1 / eigen_tolerance) ||
            (std::isfinite(tau_tested) && tau_tested >= 0.1 / eigen_tolerance) ||
            kick * kick < 10 * eigen_tolerance);
  };
  const auto tolerance = [&](int c, std::size_t p) {
    const core::PointParams& pt = points[p];
    const double tau = ref.value(kStatRelaxationCollisions, p);
    Tolerance tol = widened(c, pt, tau, eps, tolerance_for(precision));
    if (is_beta_eff(c)) {
      // As `qcm validate` (src/driver/compare.cpp): beta_eff = 2 atanh(z)/omega is
      // ill-conditioned near a pure population; widen by its condition number.
      const int zc = column_of(kColumnTable[c].group, Quantity::bloch_z);
      const Tolerance tz = widened(zc, pt, tau, eps, tolerance_for(precision));
      const double z = ref.value(zc, p);
      const double at = std::atanh(std::fabs(z));
      if (at > 0 && std::isfinite(ref.value(c, p))) tol.rtol += tz.atol / ((1 - z * z) * at);
      tol.atol += 2 * tz.atol / ((1 - z * z) * std::max(1e-300, std::fabs(pt.omega_s)));
    }
    return tol;
  };
  test::Comparison how{tolerance_for(precision)};
  how.points = &points;
  how.validate_rules = false;  // the rounding model below widens beta_eff itself
  how.tolerance = tolerance;
  how.ignored_flags = [&](std::size_t p) {
    return stationary_borderline(p) ? std::uint32_t{core::kStationaryOscillates} : 0u;
  };
  how.skip_group = [&](Group g, std::size_t p) {
    return g == kGroupStationary && stationary_borderline(p);
  };
  how.excused = [&](int c, std::size_t p, double a, double b) {
    if (is_beta_eff(c)) {
      // Skip beta_eff where 1 - |z| is within the tolerance of z: there even the
      // sign of the tiny population (+-inf against a large finite value) is rounding.
      const int zc = column_of(kColumnTable[c].group, Quantity::bloch_z);
      const Tolerance tz = widened(zc, points[p], ref.value(kStatRelaxationCollisions, p), eps,
                                   tolerance_for(precision));
      const double gap = 1 - std::fabs(ref.value(zc, p));
      if (!(gap > std::max(1e-12, 2 * (tz.atol + tz.rtol)))) return true;
    }
    return inf_versus_rounding(a, b, points[p], c, precision, tolerance(c, p));
  };
  test::expect_chunks_agree(tested, ref, request, how);
}

class Extreme : public ::testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    const Config& c = GetParam();
    if (std::string(c.backend) == "cuda" && cuda_device_count() == 0)
      GTEST_SKIP() << "no CUDA device";
    backend_ = make_backend(c.backend, c.precision);
  }
  bool is_reference() const { return std::string(GetParam().backend) == "reference"; }
  Precision precision() const { return GetParam().precision; }

  /// Run on this backend, check physicality, and (except for the reference
  /// itself) agreement with the reference.
  ChunkResult check(const std::vector<core::PointParams>& points, const RunRequest& request) {
    ChunkResult out;
    backend_->run(points, request, out);
    expect_physical(out, points, request, precision());
    if (!is_reference()) {
      ChunkResult ref;
      make_backend("reference", Precision::double_)->run(points, request, ref);
      expect_agree(out, ref, points, request, precision());
    }
    return out;
  }

  /// Both evolution paths of the kernels: the O(log n) closed form (final,
  /// stationary, gksl) and collision-by-collision stepping (forced by the
  /// decomposition group, here with a series as well when series_every > 0).
  void check_closed_form_and_stepping(const std::vector<core::PointParams>& points,
                                      std::int64_t series_every) {
    check(points, RunRequest{});
    check(points, RunRequest{kAllGroups, series_every, true});
  }

  std::unique_ptr<Backend> backend_;
};

std::string config_name(const ::testing::TestParamInfo<Config>& info) {
  return std::string(info.param.backend) +
         (info.param.precision == Precision::double_ ? "_double" : "_float");
}

INSTANTIATE_TEST_SUITE_P(Backends, Extreme,
                         ::testing::Values(Config{"reference", Precision::double_},
                                           Config{"cpu", Precision::double_},
                                           Config{"cpu", Precision::float_},
                                           Config{"cuda", Precision::double_},
                                           Config{"cuda", Precision::float_}),
                         config_name);

// beta = +inf (ground-state ancillas), -inf (excited), 0 (maximally mixed) and
// |beta| omega_A = 500 (Gibbs populations e^-500: representable in double, 0 in
// float), with exchange, pair-creation, balanced, sigma_z x sigma_y and
// ancilla-sigma_z couplings (the last has no GKSL limit at beta != 0: flagged).
std::vector<core::PointParams> beta_points(std::int64_t n) {
  std::vector<core::PointParams> points;
  for (double beta : {kInf, -kInf, 0.0, 500.0, -500.0, 1.0})
    for (int coupling = 0; coupling < 5; ++coupling)
      for (const auto& r : initial_states()) {
        core::PointParams p = make_point(1, 1, beta, 0, 0, 0.05, n);
        switch (coupling) {
          case 0:
            p.coupling[0][0] = 1, p.coupling[1][1] = 0.5;
            break;
          case 1:
            p.coupling[0][0] = 1, p.coupling[1][1] = 1;
            break;
          case 2:
            p.coupling[0][0] = 1, p.coupling[1][1] = -1;
            break;
          case 3:
            p.coupling[0][0] = 1, p.coupling[2][1] = 0.7;
            break;
          default:
            p.coupling[0][2] = 0.5, p.coupling[1][1] = 0.5;
            break;
        }
        set_bloch(p, r[0], r[1], r[2]);
        points.push_back(p);
      }
  return points;
}

TEST_P(Extreme, InfiniteAndZeroBeta) {
  check_closed_form_and_stepping(beta_points(300), 37);
}

TEST_P(Extreme, InfiniteAndZeroBetaGkslDynamics) {
  auto points = beta_points(300);
  for (auto& p : points) p.dynamics = core::Dynamics::gksl;
  RunRequest request;
  check(points, request);
}

TEST_P(Extreme, InfiniteBetaEntropyProduction) {
  // docs/physics.md §3: at beta = +-inf, Sigma_k is +inf when Q_k != 0, else Delta S_k.
  auto points = beta_points(50);
  for (RunRequest request : {RunRequest{kGroupFinal, 0, true}, RunRequest{kAllGroups, 5, true}}) {
    const ChunkResult out = check(points, request);
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (!std::isinf(points[p].beta)) continue;
      const double q = out.value(kHeat, p), sigma = out.value(kEntropyProduction, p);
      if (std::isfinite(sigma)) {  // every Q_k counted as 0: Sigma = sum Delta S_k
        EXPECT_NEAR(sigma, out.value(kDeltaEntropy, p), 1e-9) << describe(points[p]);
      }
      // The heat is a sum of Q_k of one sign; when it is clearly not 0, Sigma is inf.
      if (std::fabs(q) > 1e-3) {
        EXPECT_EQ(sigma, kInf) << "heat " << q << " at " << describe(points[p]);
      }
    }
  }
}

// |J| up to 10^3 with the ultrastrong scaling (H_SA = V/sqrt(dt)), dt down to 10^-6:
// ||dt H_SA|| = |J| sqrt(dt) is up to 1 and ||H_SA|| up to 1.8 10^6; with the
// fixed scaling ||dt H|| = |J| dt. Tolerances: the rounding model above.
TEST_P(Extreme, StrongCouplingAndTinyTimeStep) {
  std::vector<core::PointParams> points;
  for (double j : {1.0, 10.0, 100.0, 1000.0, -1000.0})
    for (double dt : {1e-6, 1e-4, 1e-2, 0.05})
      for (auto scaling : {core::Scaling::ultrastrong, core::Scaling::fixed}) {
        core::PointParams p = make_point(1, 1, 1, j, j / 2, dt, 400);
        p.coupling[2][1] = j / 3;
        p.scaling = scaling;
        set_bloch(p, 0.3, -0.4, 0.5);
        points.push_back(p);
      }
  check_closed_form_and_stepping(points, 100);
}

// omega_S != omega_A over six decades, 10^-3 ... 10^3 (beta omega_A up to 10^3:
// the Gibbs populations underflow to exactly 0 and 1; dt omega up to 50 per collision).
TEST_P(Extreme, FrequenciesOverSixDecades) {
  std::vector<core::PointParams> points;
  for (double ws : {1e-3, 1e-1, 1e1, 1e3})
    for (double wa : {1e-3, 1e-1, 1e1, 1e3})
      for (double beta : {1.0, -1.0}) {
        core::PointParams p = make_point(ws, wa, beta, 1, 0.5, 0.05, 500);
        set_bloch(p, 0.3, -0.4, 0.5);
        points.push_back(p);
      }
  check_closed_form_and_stepping(points, 0);
}

// Pure initial states: S = -Tr rho ln rho has 0 ln 0 terms; with no coupling
// the state stays pure, nothing flows, and every entropy is 0 (not NaN).
TEST_P(Extreme, PureInitialStates) {
  std::vector<core::PointParams> points;
  const std::vector<std::array<double, 3>> pure = {
      {0, 0, -1}, {0, 0, 1}, {1, 0, 0}, {0, -1, 0}, {0.6, 0, 0.8}};
  for (const auto& r : pure)
    for (int coupling = 0; coupling < 3; ++coupling)
      for (double beta : {1.0, kInf})
        for (std::int64_t n : {1, 10, 1000}) {
          core::PointParams p = make_point(1, 1, beta, 0, 0, 0.05, n);
          if (coupling == 1) p.coupling[0][0] = 1, p.coupling[1][1] = 0.5;
          if (coupling == 2) p.coupling[2][2] = 0.8;  // sigma_z x sigma_z
          set_bloch(p, r[0], r[1], r[2]);
          points.push_back(p);
        }
  RunRequest request;
  request.groups = kAllGroups;
  request.series_every = 3;
  const ChunkResult out = check(points, request);
  const double eps = unit_roundoff(precision());
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& pt = points[p];
    if (pt.coupling[0][0] != 0 || pt.coupling[2][2] != 0) continue;
    // H_SA = 0: the system only precesses; pure stays pure, no work, no heat.
    const double allowed = kC * eps * std::log(1 / eps) * static_cast<double>(pt.collisions);
    for (int c : {int(kDeltaEntropy), int(kWork), int(kHeat), int(kEntropyProduction),
                  int(kMutualInformation), int(kAncillaRelativeEntropy)})
      EXPECT_NEAR(out.value(c, p), 0, allowed) << kColumnNames[c] << " at " << describe(pt);
    const double x = out.value(kBlochX, p), y = out.value(kBlochY, p), z = out.value(kBlochZ, p);
    EXPECT_NEAR(std::sqrt(x * x + y * y + z * z), 1, allowed) << describe(pt);
  }
}

// Exactly degenerate spectra: omega_S = omega_A = 0 (H_0 = 0; beta_eff undefined,
// flagged), zero coupling (Phi a pure rotation: no stationary limit, flagged;
// at omega = 0 the identity map), J_xx = J_yy (energy-preserving: W = 0 and the
// fixed point is the Gibbs state at beta, docs/physics.md §3 identity 4), and
// J_xx = J_yy = J_zz (Heisenberg: degenerate eigenvalues of H).
TEST_P(Extreme, DegenerateSpectra) {
  std::vector<core::PointParams> points;
  for (double omega : {0.0, 1.0})
    for (int coupling = 0; coupling < 4; ++coupling)
      for (double beta : {0.0, 1.0, kInf})
        for (const auto& r : initial_states()) {
          core::PointParams p = make_point(omega, omega, beta, 0, 0, 0.05, 200);
          if (coupling == 1) p.coupling[0][0] = 1, p.coupling[1][1] = 1;
          if (coupling == 2) p.coupling[0][0] = 1, p.coupling[1][1] = 0.5;
          if (coupling == 3) p.coupling[0][0] = p.coupling[1][1] = p.coupling[2][2] = 0.7;
          set_bloch(p, r[0], r[1], r[2]);
          points.push_back(p);
        }
  RunRequest request;
  request.groups = kAllGroups;
  const ChunkResult out = check(points, request);
  const Tolerance tol = tolerance_for(precision());
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& pt = points[p];
    if (pt.omega_s == 0) {
      EXPECT_TRUE(out.flags[p] & core::kBetaEffZeroOmega) << describe(pt);
      EXPECT_TRUE(std::isnan(out.value(kBetaEff, p))) << describe(pt);
    }
    const bool balanced =
        pt.coupling[0][0] != 0 && pt.coupling[0][0] == pt.coupling[1][1] && pt.coupling[2][2] == 0;
    if (!balanced) continue;
    // Energy-preserving coupling (omega_S = omega_A): no work, whatever the state.
    EXPECT_NEAR(out.value(kWork, p), 0, tol.atol) << describe(pt);
    EXPECT_NEAR(out.value(kStatWorkRate, p), 0, tol.atol) << describe(pt);
    if (pt.omega_s > 0 && std::isfinite(pt.beta)) {
      EXPECT_NEAR(out.value(kStatBetaEff, p), pt.beta, 10 * tol.atol + tol.rtol * pt.beta)
          << describe(pt);
    }
  }
}

// 10^6 collisions. Without a series or the decomposition the kernels use an
// O(log n) closed form; with them they step collision by collision: both must
// give a physical state and the same numbers (the reference steps, at about
// 3 us per collision, so it runs 10^5 collisions on a few points).
std::vector<core::PointParams> million_points() {
  std::vector<core::PointParams> points;
  for (double beta : {1.0, kInf, 0.0, -3.0})
    for (int coupling = 0; coupling < 4; ++coupling) {
      core::PointParams p = make_point(1, 1, beta, 1, 0.5, 0.05, 1000000);
      if (coupling == 1) p.coupling[1][1] = -1, p.coupling[2][1] = 0.4, p.dt = 1e-4;
      if (coupling == 2) p.coupling[0][0] = 300, p.coupling[1][1] = 100, p.dt = 1e-6;
      if (coupling == 3) p.coupling[0][0] = p.coupling[1][1] = 0, p.coupling[2][2] = 0.8;
      set_bloch(p, 0.6, 0, 0.8);
      points.push_back(p);
    }
  return points;
}

TEST_P(Extreme, MillionCollisions) {
  auto points = million_points();
  RunRequest closed_form;
  closed_form.groups = kGroupFinal;
  RunRequest stepping;
  stepping.groups = kGroupFinal | kGroupDecomposition;
  ChunkResult closed, stepped;
  if (is_reference()) {
    std::vector<core::PointParams> few;
    for (std::size_t i = 0; i < points.size(); i += 5) few.push_back(points[i]);
    for (auto& p : few) p.collisions = 100000;
    backend_->run(few, stepping, stepped);
    expect_physical(stepped, few, stepping, precision());
    make_backend("cpu", Precision::double_)->run(few, closed_form, closed);
    expect_agree(closed, stepped, few, closed_form, Precision::double_);
    return;
  }
  backend_->run(points, closed_form, closed);
  backend_->run(points, stepping, stepped);
  expect_physical(closed, points, closed_form, precision());
  expect_physical(stepped, points, stepping, precision());
  // The closed form (repeated squaring of the affine map) against 10^6 single
  // steps of the same map: the rounding model above covers the difference.
  expect_agree(closed, stepped, points, closed_form, precision());
}

}  // namespace
}  // namespace qcm
