// @file tests: the general-model kernels (any system, any ancilla) against the
// reference engine, written once over backends x precisions x sizes, and the
// identities of docs/physics.md in any dimension.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "driver/compare.hpp"
#include "driver/driver.hpp"
#include "driver/random_points.hpp"
#include "io/result_writer.hpp"
#include "kernels/general_kernels.hpp"
#include "qcm/backend.hpp"
#include "qcm/core/dense.hpp"
#include "qcm/spec.hpp"
#include "support/compare.hpp"

namespace qcm {
namespace {

constexpr std::uint32_t kAll = kGroupFinal | kGroupStationary | kGroupGksl | kGroupDecomposition;

struct Size {
  int d_s, d_a;
};

struct Config {
  const char* backend;
  Precision precision;
  Size size;
};

void PrintTo(const Config& c, std::ostream* os) {
  *os << c.backend << (c.precision == Precision::double_ ? " double" : " float") << " "
      << c.size.d_s << "x" << c.size.d_a;
}

std::string config_name(const ::testing::TestParamInfo<Config>& info) {
  return std::string(info.param.backend) +
         (info.param.precision == Precision::double_ ? "_double_" : "_float_") +
         std::to_string(info.param.size.d_s) + "x" + std::to_string(info.param.size.d_a);
}

class GeneralKernel : public ::testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    if (std::string(GetParam().backend) == "cuda" && cuda_device_count() == 0)
      GTEST_SKIP() << "no CUDA device";
  }
  Precision precision() const { return GetParam().precision; }
  bool is_double() const { return precision() == Precision::double_; }

  GeneralPointOptions options() const {
    GeneralPointOptions o;
    o.d_s = GetParam().size.d_s;
    o.d_a = GetParam().size.d_a;
    o.max_collisions = is_double() ? 300 : 60;
    return o;
  }

  /// The points through this backend and the reference, compared column by
  /// column with the tolerance of `qcm validate` (float: widened by the
  /// dimension, since every entropy sums d_S logarithms).
  void expect_matches_reference(const GeneralPoints& points, RunRequest request) {
    ChunkResult tested, ref;
    const GeneralChunk chunk = points.chunk();
    make_backend(GetParam().backend, precision())->run(chunk, request, tested);
    make_backend("reference", Precision::double_)->run(chunk, request, ref);
    Tolerance tol = tolerance_for(precision());
    if (!is_double()) tol = {tol.atol * GetParam().size.d_s, tol.rtol * GetParam().size.d_s};
    test::Comparison how{tol};
    how.describe_point = [&](std::size_t p) { return points.descriptions[p]; };
    // The stationary group of a map whose slowest mode barely decays is a
    // classification at the edge of its tolerance (as for qubits).
    how.skip_group = [&](Group g, std::size_t p) {
      if (g != kGroupStationary) return false;
      const double tau = ref.value(kStatRelaxationCollisions, p);
      return !(tau < (is_double() ? 1e8 : 1e3));
    };
    how.ignored_flags = [&](std::size_t p) {
      return how.skip_group(kGroupStationary, p) ? std::uint32_t{core::kStationaryOscillates} : 0u;
    };
    // beta = +-inf: +inf against a finite value at the rounding threshold of the heat.
    how.excused = [&](int column, std::size_t p, double a, double b) {
      const bool entropy = kColumnTable[column].quantity == Quantity::entropy_production ||
                           kColumnTable[column].quantity == Quantity::entropy_production_rate ||
                           kColumnTable[column].quantity == Quantity::ancilla_relative_entropy;
      const core::GeneralRecord rec = chunk.record(p);
      const bool pure_ancilla = std::isinf(rec.beta(0)) || !rec.gibbs(0);
      return entropy && pure_ancilla && std::isinf(a) != std::isinf(b) &&
             (!is_double() || std::fabs(std::isinf(a) ? b : a) <= 1e-6);
    };
    test::expect_chunks_agree(tested, ref, request, how);
  }
};

TEST_P(GeneralKernel, ClosedFormIsEquivalentToRef) {
  GeneralPointOptions o = options();
  o.fixed_collisions = is_double() ? 5000 : 300;  // long enough for repeated squaring
  const auto points = random_general_points(20, 101, o);
  expect_matches_reference(points, RunRequest{kGroupFinal | kGroupState, 0, true});
}

// The closed form (final group only, O(log n): the bits of n taken from the
// lowest up) against the same points stepped collision by collision (a series
// makes the kernel step), at collision counts around powers of two, where the
// bit logic changes: the final columns agree to the tolerance of validate.
// The kernel squares when floor(log2 n) (d_S^2 + 4) < n (steps_collisions);
// the counts are chosen so that every tested size squares, and the test says
// so if that rule changes.
TEST_P(GeneralKernel, ClosedFormAgreesWithSteppingAtEveryBitPattern) {
  const auto backend = make_backend(GetParam().backend, precision());
  const std::vector<std::int64_t> counts =
      is_double() ? std::vector<std::int64_t>{1, 1023, 1024, 1025, 2047, 2048, 4097}
                  : std::vector<std::int64_t>{1, 1023, 1024, 1025};
  Tolerance tol = tolerance_for(precision());
  if (!is_double()) tol = {tol.atol * GetParam().size.d_s, tol.rtol * GetParam().size.d_s};
  const int coords = GetParam().size.d_s * GetParam().size.d_s;
  for (const std::int64_t n : counts) {
    SCOPED_TRACE("n = " + std::to_string(n));
    int log2n = 0;
    for (std::int64_t m = n; m > 1; m >>= 1) ++log2n;
    ASSERT_LT(log2n * (coords + 4), n) << "this count is stepped, not squared";
    GeneralPointOptions o = options();
    o.fixed_collisions = n;
    const auto points = random_general_points(6, 111 + static_cast<std::uint64_t>(n), o);
    const RunRequest final_only{kGroupFinal, 0, true};
    ChunkResult closed, stepped;
    backend->run(points.chunk(), final_only, closed);
    backend->run(points.chunk(), RunRequest{kGroupFinal, n, true}, stepped);
    for (std::size_t p = 0; p < points.count(); ++p) {
      ASSERT_EQ(stepped.sample_counts[p], 1);  // it was stepped
      stepped.sample_counts[p] = 0;            // compare the final group only
    }
    test::Comparison how{tol};
    how.describe_point = [&](std::size_t p) { return points.descriptions[p]; };
    test::expect_chunks_agree(closed, stepped, final_only, how);
  }
}

TEST_P(GeneralKernel, SteppingWithSeriesIsEquivalentToRef) {
  const auto points = random_general_points(20, 102, options());
  expect_matches_reference(points, RunRequest{kGroupFinal | kGroupState, 7, true});
}

TEST_P(GeneralKernel, SeriesAtEveryCollisionIsEquivalentToRef) {
  GeneralPointOptions o = options();
  o.max_collisions = 40;
  const auto points = random_general_points(12, 103, o);
  expect_matches_reference(points, RunRequest{kGroupFinal, 1, true});
}

TEST_P(GeneralKernel, DecompositionIsEquivalentToRef) {
  const auto points = random_general_points(20, 104, options());
  expect_matches_reference(points, RunRequest{kGroupFinal | kGroupDecomposition, 0, true});
}

TEST_P(GeneralKernel, SteadyStatesAreEquivalentToRef) {
  const auto points = random_general_points(30, 105, options());
  expect_matches_reference(points, RunRequest{kGroupStationary | kGroupGksl, 0, false});
  GeneralPointOptions o = options();
  o.gksl_limit = true;  // the GKSL limit exists
  const auto limits = random_general_points(30, 106, o);
  expect_matches_reference(limits, RunRequest{kGroupStationary | kGroupGksl, 0, false});
}

TEST_P(GeneralKernel, GkslDynamicsIsEquivalentToRef) {
  GeneralPointOptions o = options();
  o.gksl_limit = true;
  o.dynamics = core::Dynamics::gksl;
  o.max_collisions = 60;
  const auto points = random_general_points(15, 107, o);
  expect_matches_reference(points, RunRequest{kGroupFinal, 9, true});
}

// docs/physics.md §3 in any dimension, on the tested backend: the first law at
// every collision, Sigma >= 0 (finite beta, Gibbs ancillas), Sigma = I + D.
TEST_P(GeneralKernel, IdentitiesHoldInAnyDimension) {
  GeneralPointOptions o = options();
  o.max_collisions = 80;
  const auto points = random_general_points(25, 108, o);
  ChunkResult out;
  const GeneralChunk chunk = points.chunk();
  make_backend(GetParam().backend, precision())->run(chunk, RunRequest{kAll, 1, true}, out);
  const double tol = is_double() ? 1e-9 : 2e-3 * o.d_s;
  for (std::size_t p = 0; p < points.count(); ++p) {
    SCOPED_TRACE(points.descriptions[p]);
    const core::GeneralRecord rec = chunk.record(p);
    const double dt = rec.dt();
    // First law per collision: E_k - E_{k-1} = (W_k - Q_k), rates times dt.
    double energy = out.value(kEnergy, p) - out.value(kDeltaEnergy, p);  // E_0
    for (std::int64_t s = 0; s < out.sample_counts[p]; ++s) {
      const double e = out.sample(s, kSeriesEnergy, p);
      const double w = out.sample(s, kSeriesWorkRate, p) * dt;
      const double q = out.sample(s, kSeriesHeatRate, p) * dt;
      ASSERT_NEAR(e - energy, w - q, tol * (1 + std::fabs(w) + std::fabs(q)))
          << "collision " << s + 1;
      energy = e;
      // The state stays a state: populations in [0, 1] summing to 1, purity <= 1.
      double sum = 0;
      for (int l = 0; l < o.d_s; ++l) {
        const double pl = out.sample(s, kSeriesPopulations, p, l);
        ASSERT_GE(pl, -tol);
        sum += pl;
      }
      ASSERT_NEAR(sum, 1.0, tol);
      ASSERT_LE(out.sample(s, kSeriesPurity, p), 1 + tol);
    }
    const double sigma = out.value(kEntropyProduction, p);
    if (rec.gibbs(0) && std::isfinite(rec.beta(0))) {
      EXPECT_GE(sigma, -tol * (1 + std::fabs(out.value(kHeat, p)))) << "second law";
    }
    const double i = out.value(kMutualInformation, p), d = out.value(kAncillaRelativeEntropy, p);
    if (std::isfinite(sigma) && std::isfinite(i) && std::isfinite(d)) {
      EXPECT_NEAR(sigma, i + d, tol * (1 + std::fabs(sigma))) << "Sigma = I + D";
    }
    EXPECT_GE(i, -tol);
  }
}

// After 10^4 stepped collisions the state is still a density matrix:
// Hermitian, positive, of unit trace (the kernel rescales the trace each
// collision; Hermiticity and positivity are not imposed).
TEST_P(GeneralKernel, StatePhysicalAfterTenThousandCollisions) {
  GeneralPointOptions o = options();
  o.fixed_collisions = 10000;
  const auto points = random_general_points(8, 109, o);
  ChunkResult out;
  const GeneralChunk chunk = points.chunk();
  make_backend(GetParam().backend, precision())
      ->run(chunk, RunRequest{kGroupFinal | kGroupState, 5000, true}, out);  // a series: stepped
  const int d = o.d_s;
  const double tol = is_double() ? 1e-10 : 1e-4 * d;
  for (std::size_t p = 0; p < points.count(); ++p) {
    SCOPED_TRACE(points.descriptions[p]);
    const auto rho = [&](int i, int j) {
      return core::Complex<double>{out.value(kRho, p, 2 * (i * d + j)),
                                   out.value(kRho, p, 2 * (i * d + j) + 1)};
    };
    double trace = 0, asymmetry = 0;
    std::array<core::Complex<double>, 64> m{};
    for (int i = 0; i < d; ++i) {
      trace += rho(i, i).re;
      EXPECT_NEAR(rho(i, i).im, 0, tol);
      for (int j = 0; j < d; ++j) {
        asymmetry = std::max(asymmetry,
                             std::hypot(rho(i, j).re - rho(j, i).re, rho(i, j).im + rho(j, i).im));
        m[i * d + j] = rho(i, j);
      }
    }
    EXPECT_NEAR(trace, 1, tol);
    EXPECT_LE(asymmetry, tol);
    std::array<double, 8> w{};
    std::array<core::Complex<double>, 64> scratch{};
    core::dense::hermitian_eigenvalues(m.data(), w.data(), d, scratch.data());
    for (int i = 0; i < d; ++i) EXPECT_GE(w[i], -tol) << "eigenvalue " << i;
    double population_sum = 0;
    for (int i = 0; i < d; ++i) population_sum += out.value(kPopulations, p, i);
    EXPECT_NEAR(population_sum, 1, tol);
    EXPECT_LE(out.value(kPurity, p), 1 + tol);
    EXPECT_GE(out.value(kEntropy, p), -tol);
  }
}

// On the cpu, points with equal collision counts are stepped several at a
// time in lanes (GeneralKernel::run_lanes, the eigenvalues of their states
// together); every number must be the one the same point gives alone. Bit for
// bit (the same bits, signed zeros included): series at every collision and
// sparser, the decomposition, Gibbs and other ancillas, beta = 0 and +-inf
// side by side in one group, and a batch whose collision counts differ
// (stepped one by one); with the x86-64-v3 lanes and with the baseline's.
TEST_P(GeneralKernel, PointsSteppedInLanesGiveTheNumbersOfPointsAlone) {
  if (std::string(GetParam().backend) != "cpu") GTEST_SKIP() << "lanes are a cpu path";
  GeneralPointOptions o = options();
  const auto backend = make_backend("cpu", precision());
  const auto expect_alone_equal = [&](const GeneralPoints& points, const RunRequest& request) {
    ChunkResult together;
    backend->run(points.chunk(), request, together);
    ChunkResult alone = together;  // same shape; every point overwritten below
    for (std::size_t p = 0; p < points.count(); ++p) {
      ChunkResult one;
      backend->run(GeneralChunk{points.shape, points.records.data() + p * points.shape.stride, 1},
                   request, one);
      alone.flags[p] = one.flags[0];
      alone.sample_counts[p] = one.sample_counts[0];
      for (const ColumnInfo& c : kColumnTable) {
        if (!one.columns().has(c.id)) continue;
        for (int e = 0; e < one.columns().width[c.id]; ++e)
          alone.value(c.id, p, e) = one.value(c.id, 0, e);
      }
      for (std::int64_t k = 0; k < one.sample_counts[0]; ++k)
        for (const SeriesColumnInfo& c : kSeriesTable)
          for (int e = 0; e < one.shape.series.width[c.id]; ++e)
            alone.sample(k, c.id, p, e) = one.sample(k, c.id, 0, e);
    }
    test::Comparison how{Tolerance{0, 0}};
    how.validate_rules = false;
    how.bit_exact = true;
    how.describe_point = [&](std::size_t p) { return points.descriptions[p]; };
    test::expect_chunks_agree(together, alone, request, how);
  };
  o.fixed_collisions = 37;
  const auto equal = random_general_points(23, 109, o);  // not a multiple of any lane count
  o.fixed_collisions = 0;
  o.max_collisions = 30;
  const auto unequal = random_general_points(16, 110, o);
  const RunRequest requests[] = {{kGroupFinal | kGroupState | kGroupStationary, 1, true},
                                 {kGroupFinal | kGroupDecomposition, 5, true},
                                 {kGroupFinal | kGroupDecomposition, 0, true}};
  // Both lane widths where the CPU has AVX2 (the baseline's where it has not):
  // the same numbers as a point alone, and so as each other.
  struct RestoreLaneWidth {
    bool allowed = kernels::cpu::wide_general_lanes_allowed();
    ~RestoreLaneWidth() { kernels::cpu::allow_wide_general_lanes(allowed); }
  } restore;
  for (const bool wide : {true, false}) {
    SCOPED_TRACE(wide ? "wide lanes allowed" : "baseline lanes");
    kernels::cpu::allow_wide_general_lanes(wide);
    for (const RunRequest& request : requests) expect_alone_equal(equal, request);
    expect_alone_equal(unequal, RunRequest{kGroupFinal, 3, true});
  }
}

std::vector<Config> configs() {
  std::vector<Config> c;
  // 8x2 has its own fixed-size instantiation on the CPU (the oscillator benchmark).
  const Size sizes[] = {{2, 2}, {3, 2}, {2, 3}, {3, 3}, {4, 2}, {2, 4}, {5, 2}, {3, 4}, {8, 2}};
  for (const char* backend : {"cpu", "cuda"})
    for (const Precision precision : {Precision::double_, Precision::float_})
      for (const Size s : sizes) c.push_back({backend, precision, s});
  return c;
}

INSTANTIATE_TEST_SUITE_P(Sizes, GeneralKernel, ::testing::ValuesIn(configs()), config_name);

// ---- the reference engine on its own, and the general form against the qubit form ---------

/// Run a spec on a backend into memory.
MemoryTable run_spec(const Json& document, const std::string& backend, std::uint32_t groups) {
  const Spec spec = parse_spec(document);
  RunOptions options;
  options.backend = backend;
  options.request = make_request(spec, groups);
  MemoryTable table;
  const auto b = make_backend(backend, Precision::double_);
  run_sweep(spec, options, *b, table);
  return table;
}

// A qubit written in the general form gives the qubit form's numbers.
TEST(GeneralForm, QubitWrittenGenerallyGivesTheQubitFormsNumbers) {
  const Json qubit = Json::parse(R"({
    "system": {"omega": 1.3}, "ancilla": {"omega": 0.9, "beta": 1.7},
    "coupling": {"xx": 0.8, "yy": -0.3, "zy": 0.4, "xz": 0.2},
    "initial_state": {"bloch": [0.3, -0.2, 0.5]}, "dt": 0.07, "collisions": 700})");
  // rho = (1 + r.sigma)/2 with index 0 = excited.
  const Json general = Json::parse(R"({
    "system": {"space": "qubit", "hamiltonian": {"sz": 0.65}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.45}, "beta": 1.7},
    "coupling": {"terms": [
      {"system": {"sx": 1}, "ancilla": {"sx": 1}, "strength": 0.8},
      {"system": {"sy": 1}, "ancilla": {"sy": 1}, "strength": -0.3},
      {"system": {"sz": 1}, "ancilla": {"sy": 1}, "strength": 0.4},
      {"system": {"sx": 1}, "ancilla": {"sz": 1}, "strength": 0.2}]},
    "initial_state": {"matrix": [[0.75, [0.15, 0.1]], [[0.15, -0.1], 0.25]]},
    "dt": 0.07, "collisions": 700})");
  const std::uint32_t groups = kGroupFinal | kGroupStationary;
  for (const std::string backend : {"reference", "cpu"}) {
    SCOPED_TRACE(backend);
    const MemoryTable q = run_spec(qubit, backend, groups);
    const MemoryTable g = run_spec(general, backend, groups);
    const auto value = [](const MemoryTable& t, std::string_view name, int element = 0) {
      return t.values()[0][t.value_index(name) + element];
    };
    for (const char* name :
         {"coherence_l1", "ergotropy", "beta_eff", "work", "heat", "delta_energy", "delta_entropy",
          "entropy_production", "work_rate", "heat_rate", "entropy_production_rate",
          "stationary.coherence_l1", "stationary.ergotropy", "stationary.beta_eff",
          "stationary.work_rate", "stationary.heat_rate", "stationary.relaxation_collisions"})
      EXPECT_NEAR(value(g, name), value(q, name), 1e-12 * std::max(1.0, std::fabs(value(q, name))))
          << name;
    // Populations in ascending energy: (p_g, p_e) = ((1 - z)/2, (1 + z)/2).
    const double z = value(q, "bloch_z");
    EXPECT_NEAR(value(g, "populations", 0), (1 - z) / 2, 1e-12);
    EXPECT_NEAR(value(g, "populations", 1), (1 + z) / 2, 1e-12);
    EXPECT_NEAR(value(g, "energy"), 0.65 * z, 1e-12);
  }
}

// Jaynes-Cummings on resonance ([V, H_S x 1 + 1 x H_A] = 0): no work, and the
// unique fixed point is the Gibbs state of the system at the ancilla's beta.
TEST(GeneralForm, EnergyPreservingCouplingDoesNoWorkAndThermalises) {
  const Json spec = Json::parse(R"({
    "system": {"space": {"oscillator": 5}, "hamiltonian": {"n": 1.0}},
    "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 0.8},
    "coupling": {"terms": [{"system": {"a": 1}, "ancilla": {"sp": 1}, "strength": 0.6},
                           {"system": {"ad": 1}, "ancilla": {"sm": 1}, "strength": 0.6}]},
    "initial_state": {"thermal": 3.0}, "dt": 0.05, "collisions": 400})");
  for (const std::string backend : {"reference", "cpu"}) {
    SCOPED_TRACE(backend);
    const MemoryTable t = run_spec(spec, backend, kGroupFinal | kGroupStationary);
    const auto value = [&](std::string_view name, int element = 0) {
      return t.values()[0][t.value_index(name) + element];
    };
    EXPECT_NEAR(value("work"), 0.0, 1e-10);
    EXPECT_NEAR(value("stationary.work_rate"), 0.0, 1e-10);
    EXPECT_NEAR(value("stationary.heat_rate"), 0.0, 1e-10);
    EXPECT_EQ(value("stationary.dimension"), 1);
    // Gibbs populations of H_S = n at beta = 0.8.
    double z = 0;
    for (int n = 0; n < 5; ++n) z += std::exp(-0.8 * n);
    for (int n = 0; n < 5; ++n)
      EXPECT_NEAR(value("stationary.populations", n), std::exp(-0.8 * n) / z, 1e-9)
          << "level " << n;
    EXPECT_NEAR(value("stationary.coherence_l1"), 0.0, 1e-10);
  }
}

// The collision model approaches its GKSL limit as dt -> 0 (first order).
TEST(GeneralForm, StationaryStateApproachesTheGkslLimitAsDtShrinks) {
  std::vector<double> errors;
  for (const double dt : {0.08, 0.04, 0.02, 0.01}) {
    Json spec = Json::parse(R"({
      "system": {"space": {"spin": 1}, "hamiltonian": {"jz": 1.0, "jz*jz": 0.3}},
      "ancilla": {"space": "qubit", "hamiltonian": {"sz": 0.5}, "beta": 2.0},
      "coupling": {"terms": [{"system": {"jx": 1.0}, "ancilla": {"sx": 1.0}},
                             {"system": {"jy": 1.0}, "ancilla": {"sy": 1.0}, "strength": 0.5}]},
      "evolve": false})");
    spec["dt"] = dt;
    const MemoryTable t = run_spec(spec, "cpu", kGroupStationary | kGroupGksl);
    double error = 0;
    for (int l = 0; l < 3; ++l)
      error = std::max(error, std::fabs(t.values()[0][t.value_index("stationary.populations") + l] -
                                        t.values()[0][t.value_index("gksl.populations") + l]));
    errors.push_back(error);
  }
  for (std::size_t k = 1; k < errors.size(); ++k) {
    const double order = std::log2(errors[k - 1] / errors[k]);
    EXPECT_NEAR(order, 1.0, 0.15) << "dt halved " << k << " times";
  }
}

// Known answers of an independent NumPy/SciPy implementation (tests/data/general-points.json).
TEST(GeneralForm, MatchesIndependentKnownAnswers) {
  std::ifstream file(std::string(QCM_TEST_DATA_DIR) + "/general-points.json");
  ASSERT_TRUE(file);
  const Json data = Json::parse(file);
  int compared = 0;
  for (const Json& point : data.at("points")) {
    if (point.at("spec").contains("baths")) continue;  // several baths: their own test
    for (const std::string backend : {"reference", "cpu"}) {
      const Spec spec = parse_spec(point.at("spec"));
      const MemoryTable t = run_spec(point.at("spec"), backend, kDefaultGroups);
      for (const auto& [name, expected] : point.at("expected").items()) {
        const int at = t.value_index(name);
        if (name.rfind("fluctuations.", 0) == 0) continue;  // not a group of this issue's engine
        ASSERT_GE(at, 0) << name;
        const std::vector<double> values = expected.is_array()
                                               ? expected.get<std::vector<double>>()
                                               : std::vector<double>{expected.get<double>()};
        for (std::size_t e = 0; e < values.size(); ++e) {
          EXPECT_NEAR(t.values()[0][at + e], values[e], 1e-8 * std::max(1.0, std::fabs(values[e])))
              << backend << ": " << name << "[" << e << "]";
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 150);
}

}  // namespace
}  // namespace qcm
