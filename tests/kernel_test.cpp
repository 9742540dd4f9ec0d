// @file tests: the batched kernels against the reference engine, written once
// over backends (cpu, cuda) x precisions (double, float).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <type_traits>
#include <unsupported/Eigen/MatrixFunctions>
#include <vector>

#include "driver/compare.hpp"
#include "driver/random_points.hpp"
#include "qcm/backend.hpp"
#include "qcm/core/affine_power.hpp"
#include "qcm/core/branchless_log.hpp"
#include "qcm/core/branchless_trig.hpp"
#include "qcm/core/dense_hermitian.hpp"
#include "qcm/core/hermitian_expm.hpp"
#include "qcm/core/qubit_state.hpp"
#include "support/compare.hpp"

#if defined(QCM_HAVE_CUDA)
#include "backends/device_buffer.hpp"
#endif

namespace qcm {
namespace {

struct CpuDouble {
  static constexpr const char* backend = "cpu";
  static constexpr Precision precision = Precision::double_;
};
struct CpuFloat {
  static constexpr const char* backend = "cpu";
  static constexpr Precision precision = Precision::float_;
};
struct CudaDouble {
  static constexpr const char* backend = "cuda";
  static constexpr Precision precision = Precision::double_;
};
struct CudaFloat {
  static constexpr const char* backend = "cuda";
  static constexpr Precision precision = Precision::float_;
};

template <typename Config>
class KernelTest : public ::testing::Test {
 protected:
  std::unique_ptr<Backend> backend() {
    if (std::string(Config::backend) == "cuda" && cuda_device_count() == 0) return nullptr;
    return make_backend(Config::backend, Config::precision);
  }
  /// Random points through this backend and the reference, compared slot by
  /// slot. With `fixed_collisions` every point has that many collisions, so
  /// the cpu backend steps them kCpuLanes at a time in SIMD lanes; otherwise
  /// the counts differ and almost every point is stepped alone.
  void expect_matches_reference(std::uint64_t seed, std::uint32_t groups, std::int64_t every,
                                std::int64_t fixed_collisions = 0) {
    auto tested_backend = backend();
    if (!tested_backend) GTEST_SKIP() << "no CUDA device";
    auto reference = make_backend("reference", Precision::double_);
    RandomPointOptions options;
    options.max_collisions = max_collisions();
    options.fixed_collisions = fixed_collisions;
    const auto points = random_points(150, seed, options);
    RunRequest request;
    request.groups = groups;
    request.series_every = every;
    ChunkResult tested, ref;
    tested_backend->run(points, request, tested);
    reference->run(points, request, ref);
    test::Comparison how{tolerance_for(Config::precision)};
    how.points = &points;
    test::expect_chunks_agree(tested, ref, request, how);
  }
  /// Float accumulates rounding over many collisions: keep its runs shorter.
  static std::int64_t max_collisions() {
    return Config::precision == Precision::double_ ? 2000 : 200;
  }
};

using Configs = ::testing::Types<CpuDouble, CpuFloat, CudaDouble, CudaFloat>;
TYPED_TEST_SUITE(KernelTest, Configs);

TYPED_TEST(KernelTest, EvolveWithSeriesIsEquivalentToRef) {
  // Entropies at every collision (the decomposition needs them).
  this->expect_matches_reference(11, kGroupFinal | kGroupDecomposition, 7);
}

TYPED_TEST(KernelTest, SparseSeriesIsEquivalentToRef) {
  // Without the decomposition and with samples every 7 collisions the kernel
  // takes entropies only around the samples and telescopes Sigma.
  this->expect_matches_reference(15, kGroupFinal, 7);
}

TYPED_TEST(KernelTest, LanesWithSeriesAtEveryCollisionAreEquivalentToRef) {
  // The benchmark's job: every point stepped in lanes, a sample per collision.
  this->expect_matches_reference(16, kGroupFinal, 1, this->max_collisions() / 4);
}

TYPED_TEST(KernelTest, LanesWithDecompositionAreEquivalentToRef) {
  this->expect_matches_reference(17, kGroupFinal | kGroupDecomposition, 7,
                                 this->max_collisions() / 4);
}

TYPED_TEST(KernelTest, LanesWithSparseSeriesAreEquivalentToRef) {
  this->expect_matches_reference(18, kGroupFinal | kGroupGksl, 7, this->max_collisions() / 4);
}

TYPED_TEST(KernelTest, LanesAgreeWithOnePointAtATime) {
  // The same points stepped together in lanes and each alone (a chunk of one
  // point takes the scalar path): the same arithmetic, so the same numbers up
  // to the contraction of products into FMAs, which may differ between the two.
  auto backend = this->backend();
  if (!backend) GTEST_SKIP() << "no CUDA device";
  RandomPointOptions options;
  options.fixed_collisions = 300;
  const auto points = random_points(37, 19, options);  // not a multiple of the lane count
  RunRequest request;
  request.groups = kGroupFinal | kGroupDecomposition;
  request.series_every = 3;
  ChunkResult together;
  backend->run(points, request, together);
  const double rtol = TypeParam::precision == Precision::double_ ? 1e-11 : 1e-4;
  for (std::size_t p = 0; p < points.size(); ++p) {
    ChunkResult alone;
    backend->run(std::span<const core::PointParams>(&points[p], 1), request, alone);
    const auto agree = [&](double a, double b) { return values_agree(a, b, {rtol, rtol}); };
    EXPECT_EQ(alone.flags[0], together.flags[p]);
    for (int c = kBlochX; c < kStatBlochX; ++c)
      EXPECT_PRED2(agree, alone.value(c, 0), together.value(c, p))
          << kColumnNames[c] << " of point " << p;
    ASSERT_EQ(alone.sample_counts[0], together.sample_counts[p]);
    for (std::int64_t smp = 0; smp < alone.sample_counts[0]; smp += 17)
      for (int c = 0; c < kQubitSeriesColumnCount; ++c)
        EXPECT_PRED2(agree, alone.sample(smp, c, 0), together.sample(smp, c, p))
            << kSeriesColumnNames[c] << " sample " << smp << " of point " << p;
  }
}

TYPED_TEST(KernelTest, FinalClosedFormIsEquivalentToRef) {
  this->expect_matches_reference(12, kGroupFinal, 0);
}

TYPED_TEST(KernelTest, ClosedFormAgreesWithStepping) {
  // The O(log n) closed form and collision-by-collision stepping of the same
  // kernel at n = 10^5: the same numbers up to rounding.
  auto backend = this->backend();
  if (!backend) GTEST_SKIP() << "no CUDA device";
  auto points = random_points(20, 13, {10});
  for (auto& p : points) p.collisions = 100000;
  RunRequest closed;
  closed.groups = kGroupFinal;
  RunRequest stepping = closed;
  stepping.groups |= kGroupDecomposition;  // forces stepping
  ChunkResult a, b;
  backend->run(points, closed, a);
  backend->run(points, stepping, b);
  const Tolerance tol =
      TypeParam::precision == Precision::double_ ? Tolerance{1e-8, 1e-8} : Tolerance{5e-2, 5e-2};
  for (std::size_t p = 0; p < points.size(); ++p)
    for (int c = kBlochX; c <= kEntropyProductionRate; ++c) {
      const double x = a.value(c, p), y = b.value(c, p);
      if (std::isinf(y)) {
        EXPECT_EQ(x, y) << kColumnNames[c];
        continue;
      }
      EXPECT_NEAR(x, y, tol.atol + tol.rtol * std::fabs(y)) << kColumnNames[c] << " point " << p;
    }
}

TYPED_TEST(KernelTest, StatePhysicalAfterMillionCollisions) {
  auto backend = this->backend();
  if (!backend) GTEST_SKIP() << "no CUDA device";
  auto points = random_points(50, 14, {10});
  for (auto& p : points) p.collisions = 1000000;
  RunRequest request;
  request.groups = kGroupFinal;
  ChunkResult out;
  backend->run(points, request, out);
  const double slack = TypeParam::precision == Precision::double_ ? 1e-12 : 1e-5;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const double x = out.value(kBlochX, p), y = out.value(kBlochY, p), z = out.value(kBlochZ, p);
    EXPECT_LE(std::sqrt(x * x + y * y + z * z), 1.0 + slack) << "point " << p;
    EXPECT_GE(out.value(kEntropyProduction, p), -1e-9) << "point " << p;
    EXPECT_FALSE(std::isnan(out.value(kWork, p)));
  }
}

// The Hermitian exponential of the core against Eigen, including large ||dt H||.
template <typename T>
Eigen::MatrixXcd to_eigen(const core::Mat<core::Complex<T>, 4>& m) {
  Eigen::MatrixXcd e(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) e(i, j) = {double(m[i][j].re), double(m[i][j].im)};
  return e;
}

TEST(HermitianExpm, MatchesEigenAndIsUnitaryForAnyNorm) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  for (double norm : {1e-6, 1e-2, 1.0, 30.0, 1e3, 5e4}) {
    for (int trial = 0; trial < 30; ++trial) {
      core::Mat<core::Complex<double>, 4> h;
      Eigen::MatrixXcd he(4, 4);
      for (int i = 0; i < 4; ++i)
        for (int j = i; j < 4; ++j) {
          const double re = normal(rng), im = i == j ? 0.0 : normal(rng);
          h[i][j] = {re, im};
          h[j][i] = {re, -im};
        }
      if (trial % 3 == 0) {
        // Degenerate spectra: H = W diag(a, a, b, b) W^dagger with a random
        // unitary W (trial 0: W = 1, the plain diagonal), so that Jacobi meets
        // a degenerate eigenspace in a rotated basis; every third time a
        // triply degenerate one.
        Eigen::MatrixXcd w = Eigen::MatrixXcd::Identity(4, 4);
        if (trial > 0) {
          Eigen::MatrixXcd g(4, 4);
          for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) g(i, j) = {normal(rng), normal(rng)};
          w = Eigen::HouseholderQR<Eigen::MatrixXcd>(g).householderQ();
        }
        Eigen::VectorXd levels(4);
        levels << 1.0, 1.0, trial % 9 == 3 ? 1.0 : -1.0, -1.0;
        const Eigen::MatrixXcd rotated =
            w * levels.cast<std::complex<double>>().asDiagonal() * w.adjoint();
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) h[i][j] = {rotated(i, j).real(), rotated(i, j).imag()};
        // Hermitian to the last bit, as the kernels build H.
        for (int i = 0; i < 4; ++i) {
          h[i][i].im = 0;
          for (int j = i + 1; j < 4; ++j) h[j][i] = core::conj(h[i][j]);
        }
      }
      he = to_eigen(h);
      const double scale = norm / he.operatorNorm();
      const double dt = scale;
      const auto u = core::unitary_propagator(h, dt);
      const Eigen::MatrixXcd ue = to_eigen(u);
      // Reference: Eigen's eigen-decomposition (and Pade exp where it is reliable).
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(he);
      const Eigen::VectorXcd phases =
          (es.eigenvalues().cast<std::complex<double>>() * std::complex<double>(0, -dt))
              .array()
              .exp();
      const Eigen::MatrixXcd expected =
          es.eigenvectors() * phases.asDiagonal() * es.eigenvectors().adjoint();
      const double allowed = 1e-13 * std::max(1.0, norm);
      EXPECT_LT((ue - expected).cwiseAbs().maxCoeff(), allowed) << "||dt H|| = " << norm;
      if (norm <= 30.0) {
        const Eigen::MatrixXcd pade = (std::complex<double>(0, -dt) * he).exp();
        EXPECT_LT((ue - pade).cwiseAbs().maxCoeff(), allowed) << "||dt H|| = " << norm;
      }
      EXPECT_LT((ue.adjoint() * ue - Eigen::MatrixXcd::Identity(4, 4)).cwiseAbs().maxCoeff(), 1e-14)
          << "||dt H|| = " << norm;
    }
  }
}

TEST(HermitianExpm, FloatIsUnitaryToFloatRounding) {
  core::Mat<core::Complex<float>, 4> h;
  std::mt19937_64 rng(6);
  std::normal_distribution<float> normal;
  for (int i = 0; i < 4; ++i)
    for (int j = i; j < 4; ++j) {
      const float re = normal(rng), im = i == j ? 0.f : normal(rng);
      h[i][j] = {re, im};
      h[j][i] = {re, -im};
    }
  const Eigen::MatrixXcd u = to_eigen(core::unitary_propagator(h, 3.0f));
  EXPECT_LT((u.adjoint() * u - Eigen::MatrixXcd::Identity(4, 4)).cwiseAbs().maxCoeff(), 2e-6);
}

TEST(AffineOrbit, MatchesExplicitIteration) {
  core::AffineBlochMap<double> map;
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> unit(-0.5, 0.5);
  for (auto& row : map.m)
    for (double& x : row) x = unit(rng);
  for (double& x : map.c) x = unit(rng);
  const double r0[3] = {0.1, -0.2, 0.3};
  for (std::int64_t n : {1, 2, 3, 7, 64, 1000, 4097}) {
    double r[3] = {r0[0], r0[1], r0[2]}, prev[3] = {0, 0, 0}, sum[3] = {0, 0, 0};
    for (std::int64_t k = 0; k < n; ++k) {
      for (int i = 0; i < 3; ++i) {
        sum[i] += r[i];
        prev[i] = r[i];
      }
      double next[3];
      map.apply(r, next);
      for (int i = 0; i < 3; ++i) r[i] = next[i];
    }
    const auto orbit = core::affine_orbit(map, r0, n);
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(orbit.r_last[i], r[i], 1e-13) << "n = " << n;
      EXPECT_NEAR(orbit.r_before_last[i], prev[i], 1e-13) << "n = " << n;
      EXPECT_NEAR(orbit.r_sum[i], sum[i], 1e-11 * static_cast<double>(n)) << "n = " << n;
    }
  }
}

/// Distance in units in the last place between two finite numbers of one sign.
template <typename T>
std::int64_t ulps_apart(T a, T b) {
  using Bits = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;
  Bits x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  if ((x < 0) != (y < 0)) return a == b ? 0 : std::numeric_limits<std::int64_t>::max();
  return std::llabs(static_cast<std::int64_t>(x) - static_cast<std::int64_t>(y));
}

template <typename T>
void expect_log_within_one_ulp(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Every binade of the normal range, and dense around 1 where ln x -> 0.
  const int max_exponent = std::numeric_limits<T>::max_exponent - 1;
  const int min_exponent = std::numeric_limits<T>::min_exponent - 1;
  std::uniform_int_distribution<int> exponent(min_exponent, max_exponent);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0), near_one(0.5, 1.5);
  std::int64_t worst = 0;
  T worst_at = 1;
  for (int i = 0; i < 200000; ++i) {
    const T x = i % 2 ? static_cast<T>(std::ldexp(mantissa(rng), exponent(rng)))
                      : static_cast<T>(near_one(rng));
    const T expected = static_cast<T>(std::log(static_cast<long double>(x)));
    const std::int64_t d = ulps_apart(core::branchless_log(x), expected);
    if (d > worst) {
      worst = d;
      worst_at = x;
    }
  }
  EXPECT_LE(worst, 1) << "at x = " << worst_at;
  for (T x : {T(1), T(2), T(0.5), std::numeric_limits<T>::min(), std::numeric_limits<T>::max()})
    EXPECT_LE(
        ulps_apart(core::branchless_log(x), static_cast<T>(std::log(static_cast<long double>(x)))),
        1)
        << "at x = " << x;
  EXPECT_EQ(core::branchless_log(T(1)), T(0));
}

TEST(BranchlessLog, DoubleWithinOneUlpOfCorrectlyRounded) {
  expect_log_within_one_ulp<double>(21);
}

TEST(BranchlessLog, FloatWithinOneUlpOfCorrectlyRounded) {
  expect_log_within_one_ulp<float>(22);
}

/// branchless_acos on [-1, 1] and branchless_cos_sin_third on [0, pi/3]
/// against long-double libm, in ulps of the result (acos: fdlibm's bound is
/// below 1 ulp; the Taylor cos and sin: about 1 ulp of rounding), at the ends
/// exactly where they are exact.
template <typename T>
void expect_trig_within_ulps(std::uint64_t seed, std::int64_t cos_sin_ulps) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0), third(0.0, 1.0471975511965976);
  std::int64_t worst_acos = 0, worst_cos = 0, worst_sin = 0;
  T worst_acos_at = 0;
  for (int i = 0; i < 200000; ++i) {
    // Uniform on [-1, 1], and clustered at +-1 and +-0.5 where the cases meet.
    T x = static_cast<T>(unit(rng));
    if (i % 4 == 1)
      x = static_cast<T>(std::copysign(1.0 - std::ldexp(std::fabs(unit(rng)), -(i % 40)), x));
    if (i % 4 == 2) x = static_cast<T>(std::copysign(0.5 + std::ldexp(unit(rng), -1 - i % 30), x));
    const std::int64_t d = ulps_apart(core::branchless_acos(x),
                                      static_cast<T>(std::acos(static_cast<long double>(x))));
    if (d > worst_acos) {
      worst_acos = d;
      worst_acos_at = x;
    }
    const T phi = static_cast<T>(third(rng));
    T c, s;
    core::branchless_cos_sin_third(phi, c, s);
    worst_cos =
        std::max(worst_cos, ulps_apart(c, static_cast<T>(std::cos(static_cast<long double>(phi)))));
    if (phi > T(0))
      worst_sin = std::max(worst_sin,
                           ulps_apart(s, static_cast<T>(std::sin(static_cast<long double>(phi)))));
  }
  EXPECT_LE(worst_acos, 1) << "at x = " << worst_acos_at;
  EXPECT_LE(worst_cos, cos_sin_ulps);
  EXPECT_LE(worst_sin, cos_sin_ulps);
  EXPECT_EQ(core::branchless_acos(T(1)), T(0));
  EXPECT_EQ(core::branchless_acos(T(-1)), static_cast<T>(std::acos(-1.0L)));
  EXPECT_EQ(core::branchless_acos(T(0)), static_cast<T>(std::acos(0.0L)));
  T c, s;
  core::branchless_cos_sin_third(T(0), c, s);
  EXPECT_EQ(c, T(1));
  EXPECT_EQ(s, T(0));
}

TEST(BranchlessTrig, DoubleAcosWithinOneUlpCosSinWithinTwo) {
  expect_trig_within_ulps<double>(24, 2);
}

TEST(BranchlessTrig, FloatAcosWithinOneUlpCosSinWithinTwo) {
  expect_trig_within_ulps<float>(25, 2);
}

template <typename T, int L>
void expect_lanes_equal_scalar() {
  using V = core::LaneVector<T, L>;
  std::mt19937_64 rng(23);
  std::uniform_real_distribution<double> unit(-0.7, 0.7);
  for (int trial = 0; trial < 1000; ++trial) {
    V r[3];
    T scalar_r[L][3];
    for (int a = 0; a < 3; ++a)
      for (int l = 0; l < L; ++l) {
        // Lane 0 sometimes a pure state, lane 1 sometimes the maximally mixed one.
        T x = static_cast<T>(unit(rng));
        if (l == 1 && trial % 5 == 0) x = 0;
        scalar_r[l][a] = x;
        r[a][l] = x;
      }
    if (trial % 3 == 0) {
      const T len = std::sqrt(scalar_r[0][0] * scalar_r[0][0] + scalar_r[0][1] * scalar_r[0][1] +
                              scalar_r[0][2] * scalar_r[0][2]);
      for (int a = 0; a < 3; ++a) r[a][0] = scalar_r[0][a] = scalar_r[0][a] / len;
    }
    const V entropy = core::qubit_entropy(r);
    const V log = core::branchless_log(r[0] * r[0] + T(0.25));
    for (int l = 0; l < L; ++l) {
      EXPECT_EQ(entropy[l], core::qubit_entropy(scalar_r[l])) << "lane " << l;
      EXPECT_EQ(log[l], core::branchless_log(scalar_r[l][0] * scalar_r[l][0] + T(0.25)));
    }
  }
}

TEST(Lanes, VectorEntropyAndLogEqualScalarLaneByLane) {
  expect_lanes_equal_scalar<double, 4>();
  expect_lanes_equal_scalar<float, 8>();
}

/// The trigonometric 3x3 eigenvalues in lanes equal the scalar ones lane by
/// lane, bit for bit, and so does the choice of the lanes that need the
/// deflation (random Hermitian matrices, some with a double eigenvalue).
template <typename T, int L>
void expect_cubic_lanes_equal_scalar() {
  using V = core::LaneVector<T, L>;
  std::mt19937_64 rng(26);
  std::normal_distribution<double> normal;
  int separated = 0, deflated = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    T e[L][9];
    for (int l = 0; l < L; ++l) {
      for (int k = 0; k < 9; ++k) e[l][k] = static_cast<T>(normal(rng));
      if ((trial + l) % 4 == 0) {  // diag(a, a, b) and no coupling to it: a double root
        e[l][1] = e[l][0];
        for (int k = 3; k < 9; ++k) e[l][k] = T(0);
      }
    }
    const auto lane = [&](int k) { return core::lanes_from<V>([&](int l) { return e[l][k]; }); };
    const auto c = core::dense::detail::cubic_3x3<V>(lane(0), lane(1), lane(2), lane(3), lane(4),
                                                     lane(5), lane(6), lane(7), lane(8));
    const auto mask = core::dense::detail::well_separated(c);
    for (int l = 0; l < L; ++l) {
      const auto one = core::dense::detail::cubic_3x3<T>(
          e[l][0], e[l][1], e[l][2], e[l][3], e[l][4], e[l][5], e[l][6], e[l][7], e[l][8]);
      const bool scalar_separated = core::dense::detail::well_separated(one);
      EXPECT_EQ(mask[l] != 0, scalar_separated) << "trial " << trial << " lane " << l;
      EXPECT_EQ(c.bottom[l], one.bottom);
      EXPECT_EQ(c.middle[l], one.middle);
      EXPECT_EQ(c.top[l], one.top);
      (scalar_separated ? separated : deflated)++;
    }
  }
  EXPECT_GT(separated, 0);
  EXPECT_GT(deflated, 0);
}

TEST(Lanes, CubicEigenvaluesEqualScalarLaneByLane) {
  expect_cubic_lanes_equal_scalar<double, 4>();
  expect_cubic_lanes_equal_scalar<float, 8>();
}

TEST(QubitEntropy, ClosedFormsAndEdges) {
  EXPECT_NEAR(core::qubit_entropy_of_length(0.0), std::log(2.0), 1e-16);
  EXPECT_EQ(core::qubit_entropy_of_length(1.0), 0.0);
  EXPECT_EQ(core::qubit_entropy_of_length(1.0 + 1e-12), 0.0);  // rounding past the sphere
  EXPECT_TRUE(std::isnan(core::qubit_entropy_of_length(std::nan(""))));
  for (double x : {1e-8, 0.3, 0.9, 1 - 1e-12}) {
    const double p = (1 + x) / 2, q = (1 - x) / 2;
    EXPECT_NEAR(core::qubit_entropy_of_length(x), -(p * std::log(p) + q * std::log(q)), 1e-15)
        << "|r| = " << x;
  }
}

#if defined(QCM_HAVE_CUDA)
// A copy of a DeviceBuffer would free its allocation twice.
static_assert(!std::is_copy_constructible_v<DeviceBuffer<double>>);
static_assert(!std::is_copy_assignable_v<DeviceBuffer<double>>);
static_assert(std::is_nothrow_move_constructible_v<DeviceBuffer<double>>);

TEST(DeviceBuffer, MoveHandsTheAllocationOver) {
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
  DeviceBuffer<double> a;
  a.ensure(1000);
  double* const p = a.get();
  ASSERT_NE(p, nullptr);
  DeviceBuffer<double> b = std::move(a);
  EXPECT_EQ(b.get(), p);
  EXPECT_EQ(a.get(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state
  DeviceBuffer<double> c;
  c.ensure(10);
  c = std::move(b);  // frees c's own allocation, takes b's
  EXPECT_EQ(c.get(), p);
  EXPECT_EQ(c.size(), 1000u);
}
#endif

TEST(Backends, CudaIsAStubOrNeedsADevice) {
  if (cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
  try {
    make_backend("cuda", Precision::double_);
    FAIL() << "make_backend(cuda) without a device must throw";
  } catch (const BackendUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("use --backend cpu"), std::string::npos) << e.what();
  }
  EXPECT_EQ(make_backend("auto", Precision::double_)->name(), "cpu");
}

}  // namespace
}  // namespace qcm
