// @file tests: the core's dense linear algebra (qcm/core/dense.hpp) against
// Eigen, in double and float, at runtime sizes (N = 0) and compile-time ones
// (N = size).
//
// Float runs get their input rounded to float and are compared with Eigen in
// double on that same rounded input, so that the tolerances measure the
// routine's own rounding (a multiple of float's epsilon).
#include "qcm/core/dense.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <random>
#include <type_traits>
#include <unsupported/Eigen/MatrixFunctions>
#include <utility>
#include <vector>

#include "qcm/core/hermitian_expm.hpp"
#include "qcm/core/real_expm.hpp"

namespace qcm {
namespace {

namespace dense = core::dense;
using core::Complex;
using Cd = std::complex<double>;
using MatC = Eigen::MatrixXcd;
using MatR = Eigen::MatrixXd;
using VecR = Eigen::VectorXd;
using VecC = Eigen::VectorXcd;

template <typename T>
constexpr double kEps = std::numeric_limits<T>::epsilon();

using Precisions = ::testing::Types<double, float>;

// ---- conversions and random matrices ----------------------------------------------

template <typename T>
std::vector<Complex<T>> to_core(const MatC& m) {
  const int n = static_cast<int>(m.rows());
  std::vector<Complex<T>> v(static_cast<std::size_t>(n * n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      v[i * n + j] = {static_cast<T>(m(i, j).real()), static_cast<T>(m(i, j).imag())};
  return v;
}
template <typename T>
MatC to_eigen(const Complex<T>* v, int n) {
  MatC m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = Cd(v[i * n + j].re, v[i * n + j].im);
  return m;
}
template <typename T>
std::vector<T> to_core_real(const MatR& m) {
  const int n = static_cast<int>(m.rows());
  std::vector<T> v(static_cast<std::size_t>(n * n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) v[i * n + j] = static_cast<T>(m(i, j));
  return v;
}
template <typename T>
MatR to_eigen_real(const T* v, int n) {
  MatR m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = v[i * n + j];
  return m;
}
/// m rounded to T and back: the input a T routine actually sees.
template <typename T>
MatC rounded(const MatC& m) {
  return to_eigen(to_core<T>(m).data(), static_cast<int>(m.rows()));
}
template <typename T>
MatR rounded_real(const MatR& m) {
  return to_eigen_real(to_core_real<T>(m).data(), static_cast<int>(m.rows()));
}

MatC random_complex(int n, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  MatC m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = Cd(g(rng), g(rng));
  return m;
}
/// Exactly Hermitian (conj(h_ij) == h_ji bit for bit, real diagonal).
MatC hermitian_part(const MatC& m) {
  MatC h = m + m.adjoint();
  return 0.5 * h;
}
MatC random_hermitian(int n, std::mt19937_64& rng) {
  return hermitian_part(random_complex(n, rng));
}
MatC random_unitary(int n, std::mt19937_64& rng) {
  return Eigen::HouseholderQR<MatC>(random_complex(n, rng)).householderQ();
}
/// U diag(spectrum) U^dagger for a random unitary U (a rotated spectrum).
MatC rotated_spectrum(const std::vector<double>& spectrum, std::mt19937_64& rng) {
  const int n = static_cast<int>(spectrum.size());
  const MatC u = random_unitary(n, rng);
  VecC d(n);
  for (int i = 0; i < n; ++i) d(i) = spectrum[i];
  return hermitian_part(u * d.asDiagonal() * u.adjoint());
}

/// Already tridiagonal, with [[0, 1, 0], [1, 0, 1], [0, 1, -1]] leading: the
/// QL's first rotation starts from gamma = 0 exactly (the p = 0 branch).
MatC zero_shift_block(int n) {
  assert(n >= 3);
  MatC h = MatC::Zero(n, n);
  h(0, 1) = h(1, 0) = h(1, 2) = h(2, 1) = 1;
  h(2, 2) = -1;
  for (int i = 3; i < n; ++i) h(i, i) = 0.5 + 0.1 * i;
  return h;
}

/// diag(1, 0, ...) beside a coupled tridiagonal block of scale s (a cold
/// state's tiny populations and coherences): for s near 1e-20 in float and
/// 1e-155 in double the block's squared couplings are subnormal.
MatC tiny_isolated_block(int n, double s) {
  MatC h = MatC::Zero(n, n);
  h(0, 0) = 1;
  for (int i = 2; i < n; ++i) h(i, i) = s * (0.7 - 0.1 * i);
  for (int i = 2; i + 1 < n; ++i) {
    h(i, i + 1) = Cd(0.5 * s, 0.1 * s);
    h(i + 1, i) = std::conj(h(i, i + 1));
  }
  return h;
}

MatR random_real(int n, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  MatR m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = g(rng);
  return m;
}
MatR random_orthogonal(int n, std::mt19937_64& rng) {
  return Eigen::HouseholderQR<MatR>(random_real(n, rng)).householderQ();
}
/// A random matrix with singular values in [1, cond]: Q1 diag Q2.
MatR random_conditioned(int n, double cond, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  VecR s(n);
  for (int i = 0; i < n; ++i) s(i) = std::pow(cond, u(rng));
  return random_orthogonal(n, rng) * s.asDiagonal() * random_orthogonal(n, rng);
}

/// Eigenvalues of a Hermitian matrix in long double (64-bit mantissa): a
/// reference whose own error (~1e-19 relative) does not blur tolerances of a
/// few double eps.
VecR reference_eigenvalues(const MatC& h) {
  using MatCL = Eigen::Matrix<std::complex<long double>, Eigen::Dynamic, Eigen::Dynamic>;
  const MatCL hl = h.cast<std::complex<long double>>();
  const auto w = Eigen::SelfAdjointEigenSolver<MatCL>(hl, Eigen::EigenvaluesOnly).eigenvalues();
  VecR out(h.rows());
  for (int i = 0; i < h.rows(); ++i) out(i) = static_cast<double>(w(i));
  return out;
}

double spectral_norm(const MatC& m) {
  if (m.size() == 0) return 0;
  return Eigen::JacobiSVD<MatC>(m).singularValues()(0);
}
double spectral_norm(const MatR& m) {
  if (m.size() == 0) return 0;
  return Eigen::JacobiSVD<MatR>(m).singularValues()(0);
}
/// min over phases z of ||x - z y|| (eigenvectors are defined up to a phase).
double phase_aligned_distance(const VecC& x, const VecC& y) {
  const Cd overlap = y.dot(x);  // y^H x
  const Cd phase = std::abs(overlap) > 0 ? overlap / std::abs(overlap) : Cd(1);
  return (x - phase * y).norm();
}

template <typename M>
double max_abs(const M& m) {
  return m.size() == 0 ? 0.0 : m.cwiseAbs().maxCoeff();
}

const std::vector<int> kHermitianSizes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 32, 64};
const std::vector<int> kSmallSizes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

/// Calls f(std::integral_constant<int, K>{}) for each compile-time size K.
template <typename F, int... Ks>
void for_sizes(std::integer_sequence<int, Ks...>, F&& f) {
  (f(std::integral_constant<int, Ks>{}), ...);
}
using FixedSizes = std::integer_sequence<int, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16>;

// ---- what a Hermitian eigen-decomposition must satisfy ------------------------------

struct EigenCheck {
  double value_error;  ///< max |w - w_ref| (both sorted)
  double unitarity;    ///< max |V^dagger V - 1|
  double residual;     ///< max |H V - V diag(w)|
};

/// hermitian_eigen<N> on h rounded to T, against Eigen's eigenvalues of that rounded h.
template <typename T, int N = 0>
EigenCheck check_hermitian_eigen(const MatC& h) {
  const int n = static_cast<int>(h.rows());
  const MatC ht = rounded<T>(h);
  std::vector<Complex<T>> a = to_core<T>(h), v(static_cast<std::size_t>(n * n));
  std::vector<T> w(static_cast<std::size_t>(n));
  dense::hermitian_eigen<N>(a.data(), w.data(), v.data(), n);
  const MatC vm = to_eigen(v.data(), n);
  VecC wd(n);
  for (int i = 0; i < n; ++i) wd(i) = static_cast<double>(w[i]);
  std::vector<double> sorted(w.begin(), w.end());
  std::sort(sorted.begin(), sorted.end());
  const VecR ref = reference_eigenvalues(ht);
  EigenCheck c{0, 0, 0};
  for (int i = 0; i < n; ++i)
    c.value_error = std::max(c.value_error, std::fabs(sorted[i] - ref(i)));
  c.unitarity = max_abs(MatC(vm.adjoint() * vm - MatC::Identity(n, n)));
  c.residual = max_abs(MatC(ht * vm - vm * wd.asDiagonal()));
  return c;
}

// ---- hermitian_eigen --------------------------------------------------------------

template <typename T>
class DenseHermitianEigen : public ::testing::Test {};
TYPED_TEST_SUITE(DenseHermitianEigen, Precisions);

TYPED_TEST(DenseHermitianEigen, MatchesEigenUnitaryAndSmallResidual) {
  using T = TypeParam;
  std::mt19937_64 rng(11);
  for (const int n : kHermitianSizes) {
    for (int trial = 0; trial < 3; ++trial) {
      const MatC h = random_hermitian(n, rng);
      const double norm = spectral_norm(h);
      const EigenCheck c = check_hermitian_eigen<T>(h);
      EXPECT_LE(c.value_error, 4 * n * kEps<T> * norm) << "n = " << n;
      EXPECT_LE(c.unitarity, 4 * n * kEps<T>) << "n = " << n;
      EXPECT_LE(c.residual, 4 * n * kEps<T> * norm) << "n = " << n;
    }
  }
}

TYPED_TEST(DenseHermitianEigen, DegenerateAndRotatedDegenerateSpectra) {
  using T = TypeParam;
  std::mt19937_64 rng(12);
  for (const int n : {2, 3, 4, 5, 6, 8, 12, 16, 32}) {
    std::vector<std::vector<double>> spectra;
    spectra.push_back(std::vector<double>(n, 0.0));   // zero matrix
    spectra.push_back(std::vector<double>(n, -2.5));  // multiple of the identity
    std::vector<double> pairs, one_big, close;
    for (int i = 0; i < n; ++i) {
      pairs.push_back(static_cast<double>(i / 2));               // 0 0 1 1 2 2 ...
      one_big.push_back(i == 0 ? 1.0 : 0.0);                     // a pure state
      close.push_back(1.0 + 1e-9 * static_cast<double>(i % 3));  // a cluster
    }
    spectra.push_back(pairs);
    spectra.push_back(one_big);
    spectra.push_back(close);
    for (const auto& spectrum : spectra) {
      for (const bool rotate : {false, true}) {
        MatC h = MatC::Zero(n, n);
        if (rotate) {
          h = rotated_spectrum(spectrum, rng);
        } else {
          for (int i = 0; i < n; ++i) h(i, i) = spectrum[i];
        }
        const double norm = std::max(spectral_norm(h), 1e-300);
        const EigenCheck c = check_hermitian_eigen<T>(h);
        EXPECT_LE(c.value_error, 4 * n * kEps<T> * norm) << "n = " << n << " rotated " << rotate;
        EXPECT_LE(c.unitarity, 4 * n * kEps<T>) << "n = " << n;
        EXPECT_LE(c.residual, 4 * n * kEps<T> * norm) << "n = " << n;
      }
    }
  }
}

TYPED_TEST(DenseHermitianEigen, TinyOffDiagonalEntriesKeepAUnitaryPhase) {
  using T = TypeParam;
  // |a_pq|^2 underflows (1e-30^2 in float) or a_pq is subnormal itself: the
  // scaled phase computation must still give a unit-modulus phase.
  const double tiny_values[] = {1e-20, 1e-30, 1e-40, 1e-160, 1e-310};
  for (const double tiny : tiny_values) {
    if (static_cast<T>(tiny) == T(0)) continue;
    MatC h = MatC::Zero(3, 3);
    h(0, 0) = 1;
    h(1, 1) = 1;  // degenerate with (0, 0): theta = 0, a rotation by pi/4
    h(2, 2) = 2;
    h(0, 1) = Cd(tiny, tiny);
    h(1, 0) = std::conj(h(0, 1));
    h(1, 2) = Cd(0, -tiny);
    h(2, 1) = std::conj(h(1, 2));
    const EigenCheck c = check_hermitian_eigen<T>(h);
    EXPECT_LE(c.unitarity, 8 * kEps<T>) << tiny;
    EXPECT_LE(c.residual, 8 * kEps<T> * 2) << tiny;
    EXPECT_LE(c.value_error, 8 * kEps<T> * 2) << tiny;
  }
}

TYPED_TEST(DenseHermitianEigen, UnitaryToRoundingForLargeNorms) {
  using T = TypeParam;
  std::mt19937_64 rng(13);
  for (const int n : {2, 3, 4, 8, 16}) {
    for (const double scale : {1e2, 1e3, 1e4}) {
      const MatC h =
          MatC(scale / std::sqrt(double(n)) * random_hermitian(n, rng));  // ||h|| ~ scale
      const MatC ht = rounded<T>(h);
      std::vector<Complex<T>> a = to_core<T>(h), v(static_cast<std::size_t>(n * n));
      std::vector<T> w(static_cast<std::size_t>(n));
      dense::hermitian_eigen(a.data(), w.data(), v.data(), n);
      const MatC vm = to_eigen(v.data(), n);
      EXPECT_LE(max_abs(MatC(vm.adjoint() * vm - MatC::Identity(n, n))), 4 * n * kEps<T>);
      // U = V exp(-i w) V^dagger, formed in T as the kernels do.
      std::vector<Complex<T>> phases(static_cast<std::size_t>(n * n)), u(phases.size()),
          vh(phases.size());
      for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k) phases[i * n + k] = v[i * n + k] * core::expi(-w[k]);
      dense::adjoint(v.data(), vh.data(), n);
      dense::matmul(phases.data(), vh.data(), u.data(), n);
      const MatC um = to_eigen(u.data(), n);
      EXPECT_LE(max_abs(MatC(um.adjoint() * um - MatC::Identity(n, n))), 8 * n * kEps<T>)
          << "n = " << n << " ||dt H|| ~ " << scale;
      if constexpr (std::is_same_v<T, double>) {
        // The phases dt w carry an error ~ eps ||dt H||; so does U.
        Eigen::SelfAdjointEigenSolver<MatC> es(ht);
        VecC ph(n);
        for (int k = 0; k < n; ++k) ph(k) = std::exp(Cd(0, -es.eigenvalues()(k)));
        const MatC uref = es.eigenvectors() * ph.asDiagonal() * es.eigenvectors().adjoint();
        EXPECT_LE(max_abs(MatC(um - uref)), 8 * n * kEps<T> * scale) << "n = " << n;
      }
    }
  }
}

TYPED_TEST(DenseHermitianEigen, SameAsTheFixedSizeCoreJacobi) {
  using T = TypeParam;
  std::mt19937_64 rng(14);
  for (int trial = 0; trial < 20; ++trial) {
    const MatC h = random_hermitian(4, rng);
    std::vector<Complex<T>> a = to_core<T>(h), v(16);
    std::vector<T> w(4);
    dense::hermitian_eigen<4>(a.data(), w.data(), v.data(), 4);
    core::Mat<Complex<T>, 4> hm, vm;
    const std::vector<Complex<T>> a0 = to_core<T>(h);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) hm[i][j] = a0[i * 4 + j];
    T w_core[4];
    core::hermitian_eigen(hm, w_core, vm);
    // The same rotation sequence: the same eigenvalues (in the same order)
    // and eigenvectors, up to rounding (amplified by 1 / gap in the vectors)
    // and a phase (each rotation multiplies column q by the phase of a_pq).
    const double norm = spectral_norm(h);
    const VecR ref = reference_eigenvalues(h);
    double gap = norm;
    for (int k = 1; k < 4; ++k) gap = std::min(gap, ref(k) - ref(k - 1));
    const MatC vd = to_eigen(v.data(), 4);
    MatC vc(4, 4);
    for (int i = 0; i < 4; ++i)
      for (int k = 0; k < 4; ++k) vc(i, k) = Cd(vm[i][k].re, vm[i][k].im);
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(w[k], w_core[k], 8 * kEps<T> * norm);
      EXPECT_LE(phase_aligned_distance(vd.col(k), vc.col(k)), 16 * kEps<T> * norm / gap);
    }
  }
}

TYPED_TEST(DenseHermitianEigen, FixedSizeMatchesRuntimeSize) {
  using T = TypeParam;
  std::mt19937_64 rng(15);
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    const MatC h = random_hermitian(n, rng);
    const double norm = spectral_norm(h);
    std::vector<Complex<T>> a0 = to_core<T>(h), a1 = a0, v0(n * n), v1(n * n);
    std::vector<T> w0(n), w1(n);
    dense::hermitian_eigen<0>(a0.data(), w0.data(), v0.data(), n);
    dense::hermitian_eigen<n>(a1.data(), w1.data(), v1.data(), n);
    const VecR ref = reference_eigenvalues(h);
    double gap = norm;
    for (int k = 1; k < n; ++k) gap = std::min(gap, ref(k) - ref(k - 1));
    const MatC m0 = to_eigen(v0.data(), n), m1 = to_eigen(v1.data(), n);
    for (int k = 0; k < n; ++k) {
      EXPECT_NEAR(w0[k], w1[k], 4 * kEps<T> * norm) << "n = " << n;
      EXPECT_LE(phase_aligned_distance(m0.col(k), m1.col(k)), 16 * n * kEps<T> * norm / gap)
          << "n = " << n;
    }
    // Eigenvalues only: no vectors accumulated, the same values.
    std::vector<Complex<T>> a2 = to_core<T>(h);
    std::vector<T> w2(n);
    dense::hermitian_eigen<n>(a2.data(), w2.data(), nullptr, n);
    for (int k = 0; k < n; ++k) EXPECT_EQ(w2[k], w1[k]) << "n = " << n;
  });
}

// ---- hermitian_eigenvalues ----------------------------------------------------------

template <typename T>
class DenseHermitianEigenvalues : public ::testing::Test {};
TYPED_TEST_SUITE(DenseHermitianEigenvalues, Precisions);

/// Max |w - w_ref| of hermitian_eigenvalues<N> on h rounded to T; also checks the order.
template <typename T, int N = 0>
double eigenvalue_error(const MatC& h, std::vector<T>* out = nullptr) {
  const int n = static_cast<int>(h.rows());
  const std::vector<Complex<T>> a = to_core<T>(h);
  std::vector<Complex<T>> scratch(dense::hermitian_eigenvalues_scratch(n));
  std::vector<T> w(static_cast<std::size_t>(n));
  dense::hermitian_eigenvalues<N>(a.data(), w.data(), n, scratch.data());
  const VecR ref = reference_eigenvalues(rounded<T>(h));
  double err = 0;
  for (int i = 0; i < n; ++i) {
    err = std::max(err, std::fabs(static_cast<double>(w[i]) - ref(i)));
    if (i > 0) {
      EXPECT_LE(w[i - 1], w[i]) << "not sorted, n = " << n;
    }
  }
  if (out) *out = w;
  return err;
}

TYPED_TEST(DenseHermitianEigenvalues, MatchEigenAtAllSizes) {
  using T = TypeParam;
  std::mt19937_64 rng(21);
  for (const int n : kHermitianSizes) {
    for (int trial = 0; trial < 3; ++trial) {
      const MatC h = random_hermitian(n, rng);
      EXPECT_LE(eigenvalue_error<T>(h), 4 * n * kEps<T> * spectral_norm(h)) << "n = " << n;
    }
  }
}

TYPED_TEST(DenseHermitianEigenvalues, ClosedFormsOnManyRandomMatrices) {
  using T = TypeParam;
  std::mt19937_64 rng(22);
  std::uniform_int_distribution<int> pick(0, 5);
  std::uniform_real_distribution<double> uni(-1, 1);
  for (const int n : {2, 3}) {
    double worst = 0;
    for (int trial = 0; trial < 4000; ++trial) {
      // Spectra drawn from clusters, to hit double and triple roots often.
      std::vector<double> spectrum;
      for (int i = 0; i < n; ++i) {
        switch (pick(rng)) {
          case 0:
            spectrum.push_back(0.0);
            break;
          case 1:
            spectrum.push_back(1.0);
            break;
          case 2:
            spectrum.push_back(1.0 + 1e-7 * uni(rng));
            break;
          case 3:
            spectrum.push_back(1e-12 * uni(rng));
            break;
          default:
            spectrum.push_back(uni(rng));
            break;
        }
      }
      const double scale = std::pow(10.0, 6 * uni(rng));  // 1e-6 .. 1e6
      for (double& x : spectrum) x *= scale;
      const MatC h = rotated_spectrum(spectrum, rng);
      const double norm = std::max(spectral_norm(h), 1e-300);
      worst = std::max(worst, eigenvalue_error<T>(h) / (kEps<T> * norm));
    }
    EXPECT_LE(worst, 6.0) << "n = " << n << ": worst error in units of eps ||a||";
  }
}

TYPED_TEST(DenseHermitianEigenvalues, ClosedFormsAtExtremeScales) {
  using T = TypeParam;
  std::mt19937_64 rng(26);
  // Powers of 2, so that scaling is exact: squares of the entries underflow
  // (or overflow) in T unless the closed forms scale first.
  const int e = std::is_same_v<T, double> ? 600 : 75;
  for (const int n : {2, 3, 4}) {
    for (const int sign : {-1, 1}) {
      const double scale = std::ldexp(1.0, sign * e);
      const MatC h = rounded<T>(random_hermitian(n, rng));
      std::vector<T> w;
      eigenvalue_error<T>(h, &w);
      std::vector<T> ws;
      eigenvalue_error<T>(MatC(scale * h), &ws);
      for (int k = 0; k < n; ++k) {
        EXPECT_TRUE(std::isfinite(ws[k])) << "n = " << n << " scale 2^" << sign * e;
        EXPECT_NEAR(static_cast<double>(ws[k]) / scale, static_cast<double>(w[k]),
                    8 * n * kEps<T> * spectral_norm(h))
            << "n = " << n << " scale 2^" << sign * e;
      }
    }
  }
}

TYPED_TEST(DenseHermitianEigenvalues, ThreeByThreeNearPureStates) {
  using T = TypeParam;
  std::mt19937_64 rng(23);
  // Density matrices U diag(1 - e1 - e2, e1, e2) U^dagger: after centring,
  // e1 and e2 are a (near) double root. The closed form must give them with
  // absolute error ~ eps, so that -e log e is right.
  const double es[] = {1e-2, 1e-5, 1e-8, 1e-11, 1e-14, 1e-17, 0.0};
  const auto entropy = [](const auto& w) {
    double s = 0;
    for (const auto x : w)
      if (x > 0) s -= static_cast<double>(x) * std::log(static_cast<double>(x));
    return s;
  };
  for (const double e1 : es) {
    for (const double ratio : {1.0, 0.5, 0.0}) {  // e2 = e1 (exact double root), e1 / 2, 0
      for (int trial = 0; trial < 10; ++trial) {
        const double e2 = ratio * e1;
        const MatC rho = rotated_spectrum({1 - e1 - e2, e1, e2}, rng);
        std::vector<T> w;
        const double err = eigenvalue_error<T>(rho, &w);
        EXPECT_LE(err, 8 * kEps<T>) << "e1 = " << e1 << " e2 = " << e2;
        if constexpr (std::is_same_v<T, double>) {
          const VecR ref = reference_eigenvalues(rho);
          const std::vector<double> ref_w(ref.data(), ref.data() + 3);
          // dS = -log(e) de: eigenvalue errors of eps give entropy errors ~ 40 eps.
          EXPECT_LE(std::fabs(entropy(w) - entropy(ref_w)), 1e-13)
              << "e1 = " << e1 << " e2 = " << e2;
        }
      }
    }
  }
}

TYPED_TEST(DenseHermitianEigenvalues, RankDeficientAndWideSpectrumDensityMatrices) {
  using T = TypeParam;
  std::mt19937_64 rng(26);
  // The states of a collision model: pure (n - 1 exact zeros), rank 2, and
  // spectra spanning many decades: every eigenvalue with absolute error
  // ~ eps (no negative populations beyond it), the trace kept; at runtime
  // sizes and at the fixed size 8 the kernels use.
  for (const int n : {4, 5, 8, 12, 16}) {
    std::vector<std::vector<double>> spectra;
    std::vector<double> pure(n, 0.0);
    pure[0] = 1;
    spectra.push_back(pure);
    std::vector<double> rank2(n, 0.0);
    rank2[0] = 0.7;
    rank2[1] = 0.3;
    spectra.push_back(rank2);
    std::vector<double> decades(n);
    double total = 0;
    for (int i = 0; i < n; ++i) total += decades[i] = std::pow(10.0, -1.5 * i);
    for (double& x : decades) x /= total;
    spectra.push_back(decades);
    for (const auto& spectrum : spectra)
      for (int trial = 0; trial < 5; ++trial) {
        const MatC rho = rotated_spectrum(spectrum, rng);
        std::vector<T> w;
        EXPECT_LE(eigenvalue_error<T>(rho, &w), 4 * n * kEps<T>) << "n = " << n;
        double sum = 0;
        for (const T x : w) {
          EXPECT_GE(x, -4 * n * kEps<T>) << "n = " << n;
          sum += static_cast<double>(x);
        }
        EXPECT_NEAR(sum, 1.0, 4 * n * kEps<T>) << "n = " << n;
        if (n == 8) {
          EXPECT_LE((eigenvalue_error<T, 8>(rho)), 4 * n * kEps<T>) << "N = 8";
        }
      }
  }
}

TYPED_TEST(DenseHermitianEigenvalues, TinyIsolatedBlocksStayFiniteAndAccurate) {
  using T = TypeParam;
  // Squared couplings and QL quantities below the smallest normal number in
  // a block far below the matrix's norm: no 1 / r or 1 / p may overflow.
  for (const int n : {5, 8})
    for (const double s :
         {1e-15, 1e-18, 1e-20, 1e-22, 1e-30, 1e-40, 1e-150, 1e-155, 1e-160, 1e-300}) {
      std::vector<T> w;
      const double err = eigenvalue_error<T>(tiny_isolated_block(n, s), &w);
      for (const T x : w) EXPECT_TRUE(std::isfinite(x)) << "n = " << n << " s = " << s;
      EXPECT_LE(err, 4 * n * kEps<T>) << "n = " << n << " s = " << s;
    }
  // The p = 0 branch (gamma = 0 at the first rotation), at both kinds of size.
  for (const int n : {4, 8}) {
    EXPECT_LE(eigenvalue_error<T>(zero_shift_block(n)), 4 * n * kEps<T> * 3) << "n = " << n;
  }
  std::vector<T> w8;
  EXPECT_LE((eigenvalue_error<T, 8>(zero_shift_block(8), &w8)), 4 * 8 * kEps<T> * 3);
}

TYPED_TEST(DenseHermitianEigenvalues, ThreeByThreeNearTripleRoots) {
  using T = TypeParam;
  std::mt19937_64 rng(24);
  for (const double shift : {1.0, -3.0, 1e3}) {
    for (const double delta : {1e-2, 1e-6, 1e-10, 1e-14, 1e-18, 0.0}) {
      for (int trial = 0; trial < 10; ++trial) {
        const MatC h = MatC(shift * MatC::Identity(3, 3) + delta * random_hermitian(3, rng));
        EXPECT_LE(eigenvalue_error<T>(h), 8 * kEps<T> * spectral_norm(h))
            << "shift " << shift << " delta " << delta;
      }
    }
    // Exact double roots with either sign of the centred cubic's q.
    for (const auto& spectrum : {std::vector<double>{2, 2, -1}, std::vector<double>{-2, 1, 1}}) {
      const MatC h =
          rotated_spectrum({shift * spectrum[0], shift * spectrum[1], shift * spectrum[2]}, rng);
      EXPECT_LE(eigenvalue_error<T>(h), 8 * kEps<T> * spectral_norm(h)) << shift;
    }
  }
}

TYPED_TEST(DenseHermitianEigenvalues, FixedSizeMatchesRuntimeSize) {
  using T = TypeParam;
  std::mt19937_64 rng(25);
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    const MatC h = random_hermitian(n, rng);
    std::vector<T> w0, w1;
    eigenvalue_error<T, 0>(h, &w0);
    eigenvalue_error<T, n>(h, &w1);
    for (int k = 0; k < n; ++k) EXPECT_NEAR(w0[k], w1[k], 4 * kEps<T> * spectral_norm(h));
  });
}

TYPED_TEST(DenseHermitianEigenvalues, NonFiniteInputGivesNonFiniteOutput) {
  using T = TypeParam;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for (const int n : {2, 3, 5}) {
    std::vector<Complex<T>> a(static_cast<std::size_t>(n * n));
    for (int i = 0; i < n; ++i) a[i * n + i].re = T(i);
    a[1] = {nan, T(0)};
    a[n] = {nan, T(0)};
    std::vector<Complex<T>> scratch(dense::hermitian_eigenvalues_scratch(n));
    std::vector<T> w(static_cast<std::size_t>(n));
    dense::hermitian_eigenvalues(a.data(), w.data(), n, scratch.data());
    bool any_nan = false;
    for (const T x : w) any_nan = any_nan || std::isnan(x);
    EXPECT_TRUE(any_nan) << "n = " << n;
  }
}

/// hermitian_eigenvalues_lanes<N, L> on L matrices against hermitian_eigenvalues<N>
/// on each, bit for bit (the lanes exist for speed only; a point's numbers must
/// not depend on which points share its lanes).
template <typename T, int N, int L>
void expect_lanes_equal_scalar(const std::vector<MatC>& group) {
  std::vector<std::vector<Complex<T>>> a;
  std::vector<std::vector<T>> w(L, std::vector<T>(N)), expected(L, std::vector<T>(N));
  for (int l = 0; l < L; ++l) a.push_back(to_core<T>(group[l]));
  const Complex<T>* inputs[L];
  T* outputs[L];
  for (int l = 0; l < L; ++l) {
    inputs[l] = a[l].data();
    outputs[l] = w[l].data();
    std::vector<Complex<T>> scratch(dense::hermitian_eigenvalues_scratch(N));
    dense::hermitian_eigenvalues<N>(a[l].data(), expected[l].data(), N, scratch.data());
  }
  dense::hermitian_eigenvalues_lanes<N, L>(inputs, outputs);
  for (int l = 0; l < L; ++l)
    for (int i = 0; i < N; ++i) {
      if (std::isnan(expected[l][i])) {
        EXPECT_TRUE(std::isnan(w[l][i])) << "N = " << N << " lane " << l << " eigenvalue " << i;
      } else {
        EXPECT_EQ(w[l][i], expected[l][i]) << "N = " << N << " lane " << l << " eigenvalue " << i;
      }
    }
}

/// Matrices that take every branch: random, near-pure density matrices
/// (clustered small eigenvalues), exact and near degeneracies, already
/// diagonal or tridiagonal (the Householder steps skipped), zero, far from
/// norm 1 (rescaled), and NaN.
template <int N>
std::vector<MatC> lane_test_matrices(std::mt19937_64& rng) {
  std::vector<MatC> m;
  for (int k = 0; k < 12; ++k) m.push_back(random_hermitian(N, rng));
  std::vector<double> near_pure(N, 1e-9);
  near_pure[0] = 1 - (N - 1) * 1e-9;
  m.push_back(rotated_spectrum(near_pure, rng));
  std::vector<double> degenerate(N, 0.25);
  degenerate[0] = 0.5;
  m.push_back(rotated_spectrum(degenerate, rng));
  std::vector<double> close(N);
  for (int i = 0; i < N; ++i) close[i] = 1.0 + 1e-12 * i;
  m.push_back(rotated_spectrum(close, rng));
  MatC diagonal = MatC::Zero(N, N);
  for (int i = 0; i < N; ++i) diagonal(i, i) = 0.1 * i - 0.2;
  m.push_back(diagonal);
  MatC tridiagonal = diagonal;
  for (int i = 0; i + 1 < N; ++i) {
    tridiagonal(i, i + 1) = Cd(0.3, -0.1 * i);
    tridiagonal(i + 1, i) = std::conj(tridiagonal(i, i + 1));
  }
  m.push_back(tridiagonal);
  m.push_back(MatC::Zero(N, N));
  m.push_back(MatC(std::ldexp(1.0, 40) * random_hermitian(N, rng)));
  m.push_back(MatC(std::ldexp(1.0, -40) * random_hermitian(N, rng)));
  m.push_back(MatC(0.5 * MatC::Identity(N, N)));
  MatC with_nan = random_hermitian(N, rng);
  with_nan(0, 1) = with_nan(1, 0) = Cd(std::numeric_limits<double>::quiet_NaN(), 0);
  m.push_back(with_nan);
  std::vector<double> pure(N, 0.0);
  pure[0] = 1;
  m.push_back(rotated_spectrum(pure, rng));
  if constexpr (N >= 3) m.push_back(zero_shift_block(N));
  m.push_back(tiny_isolated_block(N, 1e-20));
  m.push_back(tiny_isolated_block(N, 1e-155));
  return m;
}

template <typename T, int N, int L>
void expect_lanes_equal_scalar_on_mixes(std::mt19937_64& rng) {
  const std::vector<MatC> all = lane_test_matrices<N>(rng);
  // Every matrix beside every other (the lanes' masks differ), and runs of
  // random ones (their QL blocks end at different places).
  for (std::size_t first = 0; first < all.size(); ++first) {
    std::vector<MatC> group;
    for (int l = 0; l < L; ++l) group.push_back(all[(first + l * 5) % all.size()]);
    expect_lanes_equal_scalar<T, N, L>(group);
  }
  std::uniform_int_distribution<std::size_t> pick(0, all.size() - 1);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<MatC> group;
    for (int l = 0; l < L; ++l) group.push_back(all[pick(rng)]);
    expect_lanes_equal_scalar<T, N, L>(group);
  }
}

TYPED_TEST(DenseHermitianEigenvalues, LanesEqualScalarBitForBit) {
  using T = TypeParam;
  std::mt19937_64 rng(27);
  constexpr int kLanes = 32 / sizeof(T);  // the cpu backend's lane count
  expect_lanes_equal_scalar_on_mixes<T, 2, kLanes>(rng);
  expect_lanes_equal_scalar_on_mixes<T, 3, kLanes>(rng);
  expect_lanes_equal_scalar_on_mixes<T, 4, kLanes>(rng);
  expect_lanes_equal_scalar_on_mixes<T, 8, kLanes>(rng);
  expect_lanes_equal_scalar_on_mixes<T, 5, 2>(rng);
}

// ---- sorting --------------------------------------------------------------------------

TEST(DenseSort, StableAscendingWithPermutation) {
  double w[] = {3, 1, 2, 1, -5, 2, 0};
  const double orig[] = {3, 1, 2, 1, -5, 2, 0};
  int order[7];
  dense::sort_ascending(w, 7, order);
  const double sorted[] = {-5, 0, 1, 1, 2, 2, 3};
  const int expected_order[] = {4, 6, 1, 3, 2, 5, 0};  // ties keep their order
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(w[i], sorted[i]);
    EXPECT_EQ(order[i], expected_order[i]);
    EXPECT_EQ(orig[order[i]], w[i]);
  }
  float f[] = {2.f, -1.f, 0.5f};
  dense::sort_ascending<3>(f, 3, nullptr);
  EXPECT_EQ(f[0], -1.f);
  EXPECT_EQ(f[1], 0.5f);
  EXPECT_EQ(f[2], 2.f);
}

TEST(DenseSort, SortedEigenpairsStillDiagonalise) {
  std::mt19937_64 rng(31);
  for (const int n : {2, 5, 9}) {
    const MatC h = random_hermitian(n, rng);
    std::vector<Complex<double>> a = to_core<double>(h), v(n * n),
                                 row(dense::permute_columns_scratch(n));
    std::vector<double> w(n);
    std::vector<int> order(n);
    dense::hermitian_eigen(a.data(), w.data(), v.data(), n);
    dense::sort_ascending(w.data(), n, order.data());
    dense::permute_columns(v.data(), order.data(), n, row.data());
    const MatC vm = to_eigen(v.data(), n);
    VecC wd(n);
    for (int i = 0; i < n; ++i) wd(i) = w[i];
    EXPECT_LE(max_abs(MatC(h * vm - vm * wd.asDiagonal())), 64 * kEps<double> * n);
    for (int i = 1; i < n; ++i) EXPECT_LE(w[i - 1], w[i]);
  }
}

// ---- real_eigenvalues ----------------------------------------------------------------

/// An eigenvalue known in advance, with its condition number ||P|| (P its
/// spectral projector): a backward-stable method gets it within
/// ~ eps ||A|| ||P|| when it is semisimple, even when it is repeated.
struct Planted {
  Cd value;
  double condition;
};

/// Checks real_eigenvalues<N> on m rounded to T:
///  - conjugate pairs come adjacent, positive imaginary part first, exactly conjugate;
///  - backward error: each computed lambda is an eigenvalue of mt + E with
///    ||E|| = sigma_min(mt - lambda) <= tol_units n eps ||mt||;
///  - forward error: against `planted` when given (each planted value matched
///    to the nearest unused computed one), else against Eigen's eigenvalues,
///    each within the tolerance times its condition number ||x|| ||y|| / |y^H x|
///    (from Eigen's eigenvectors; valid for simple eigenvalues).
/// Returns false if the routine reported failure.
template <typename T, int N = 0>
bool check_real_eigenvalues(const MatR& m, double tol_units, bool balanced = true,
                            std::vector<Cd>* out = nullptr,
                            const std::vector<Planted>* planted = nullptr) {
  const int n = static_cast<int>(m.rows());
  const MatR mt = rounded_real<T>(m);
  std::vector<T> a = to_core_real<T>(m);
  std::vector<Complex<T>> lambda(static_cast<std::size_t>(n));
  const bool ok = dense::real_eigenvalues<N>(a.data(), lambda.data(), n, balanced);
  EXPECT_TRUE(ok) << "n = " << n;
  if (!ok) return false;
  std::vector<Cd> got(n);
  for (int i = 0; i < n; ++i) {
    got[i] = Cd(lambda[i].re, lambda[i].im);
    if (!std::isfinite(got[i].real()) || !std::isfinite(got[i].imag())) {
      ADD_FAILURE() << "non-finite eigenvalue " << got[i] << ", n = " << n;
      return false;
    }
  }
  if (out) *out = got;
  const double norm = std::max(spectral_norm(mt), 1e-300);
  const double tol = tol_units * n * kEps<T> * norm;
  for (int i = 0; i < n; ++i) {
    if (got[i].imag() > 0) {
      if (i + 1 == n) {
        ADD_FAILURE() << "unpaired complex eigenvalue at the end, n = " << n;
        return false;
      }
      EXPECT_EQ(got[i + 1], std::conj(got[i]));
      ++i;
    } else {
      EXPECT_EQ(got[i].imag(), 0.0) << "unpaired complex eigenvalue, n = " << n;
    }
  }
  // (Every eigenvalue up to n = 16, a sample of 16 beyond: one SVD each.)
  for (int i = 0; i < n; i += (n > 16 ? n / 16 : 1)) {
    const MatC shifted = mt.cast<Cd>() - got[i] * MatC::Identity(n, n);
    const double smin = Eigen::BDCSVD<MatC>(shifted).singularValues()(n - 1);
    EXPECT_LE(smin, tol) << "backward error of lambda = " << got[i] << ", n = " << n;
  }
  std::vector<Planted> ref;
  if (planted) {
    ref = *planted;
  } else {
    Eigen::EigenSolver<MatR> es(mt);
    const MatC vr = es.eigenvectors();
    const Eigen::FullPivLU<MatC> lu(vr);
    const MatC wl = lu.isInvertible() ? MatC(lu.inverse()) : MatC::Zero(n, n);
    for (int k = 0; k < n; ++k)
      ref.push_back(
          {es.eigenvalues()(k), lu.isInvertible() ? vr.col(k).norm() * wl.row(k).norm() : 1e300});
  }
  std::vector<bool> used(n, false);
  for (const Planted& r : ref) {
    int best = -1;
    for (int i = 0; i < n; ++i)
      if (!used[i] && (best < 0 || std::abs(got[i] - r.value) < std::abs(got[best] - r.value)))
        best = i;
    if (best < 0) break;
    used[best] = true;
    EXPECT_LE(std::abs(got[best] - r.value), tol * r.condition)
        << "expected " << r.value << " (condition " << r.condition << "), got " << got[best]
        << ", n = " << n;
  }
  return true;
}

/// s diag(spectrum) s^{-1} and its planted eigenvalues with their projector norms.
std::pair<MatR, std::vector<Planted>> similar_to_diagonal(const VecR& spectrum, const MatR& s) {
  const int n = static_cast<int>(spectrum.size());
  const MatR sinv = s.inverse();
  std::vector<Planted> planted;
  for (int k = 0; k < n; ++k) {
    VecR e = VecR::Zero(n);
    for (int i = 0; i < n; ++i) e(i) = spectrum(i) == spectrum(k) ? 1.0 : 0.0;
    planted.push_back({spectrum(k), spectral_norm(MatR(s * e.asDiagonal() * sinv))});
  }
  return {MatR(s * spectrum.asDiagonal() * sinv), planted};
}

template <typename T>
class DenseRealEigenvalues : public ::testing::Test {};
TYPED_TEST_SUITE(DenseRealEigenvalues, Precisions);

TYPED_TEST(DenseRealEigenvalues, MatchEigenOnRandomMatrices) {
  using T = TypeParam;
  std::mt19937_64 rng(41);
  std::vector<int> sizes = kSmallSizes;
  sizes.insert(sizes.end(), {16, 32, 64});
  for (const int n : sizes)
    for (int trial = 0; trial < (n > 16 ? 1 : 4); ++trial)
      check_real_eigenvalues<T>(random_real(n, rng), 4);
}

TYPED_TEST(DenseRealEigenvalues, RepeatedAndUnitCircleEigenvalues) {
  using T = TypeParam;
  std::mt19937_64 rng(42);
  std::vector<Cd> got;
  // The identity and diag(1, 1, 0.5): exact.
  for (const int n : {1, 2, 3, 5, 8}) {
    check_real_eigenvalues<T>(MatR::Identity(n, n), 1, true, &got);
    for (const Cd l : got) EXPECT_EQ(l, Cd(1, 0));
  }
  MatR d = MatR::Zero(3, 3);
  d.diagonal() << 1, 1, 0.5;
  check_real_eigenvalues<T>(d, 1);
  // Similar to diagonal matrices with repeated (semisimple) eigenvalues: a
  // collision map with a degenerate eigenvalue 1.
  for (const int n : {3, 4, 6, 9, 12}) {
    VecR spectrum(n);
    for (int i = 0; i < n; ++i) spectrum(i) = i < 3 ? 1.0 : (i < 5 ? 0.5 : -0.05 * i);
    const auto [m, planted] = similar_to_diagonal(spectrum, random_conditioned(n, 5, rng));
    check_real_eigenvalues<T>(m, 4, true, nullptr, &planted);
  }
  // Rotations: 2x2, 3x3 about a random axis, and rotated blocks of plane rotations.
  for (const double theta : {0.0, 1e-8, 0.3, M_PI / 2, 2.0, M_PI}) {
    MatR r(2, 2);
    r << std::cos(theta), -std::sin(theta), std::sin(theta), std::cos(theta);
    check_real_eigenvalues<T>(r, 2, true, &got);
    for (const Cd l : got) EXPECT_NEAR(std::abs(l), 1.0, 4 * kEps<T>);
    const Eigen::Vector3d axis = Eigen::Vector3d::Random().normalized();
    const MatR r3 = Eigen::AngleAxisd(theta, axis).toRotationMatrix();
    check_real_eigenvalues<T>(r3, 2, true, &got);
    for (const Cd l : got) EXPECT_NEAR(std::abs(l), 1.0, 16 * kEps<T>);
  }
  for (const int blocks : {2, 3, 4}) {
    const int n = 2 * blocks;
    MatR b = MatR::Zero(n, n);
    for (int k = 0; k < blocks; ++k) {
      const double theta = 0.4 + 0.7 * k;
      b.block(2 * k, 2 * k, 2, 2) << std::cos(theta), -std::sin(theta), std::sin(theta),
          std::cos(theta);
    }
    const MatR q = random_orthogonal(n, rng);
    check_real_eigenvalues<T>(MatR(q * b * q.transpose()), 4, true, &got);
    for (const Cd l : got) EXPECT_NEAR(std::abs(l), 1.0, 16 * n * kEps<T>);
  }
  // Cyclic permutations (the roots of unity; the textbook case for exceptional shifts).
  for (int n = 2; n <= 12; ++n) {
    MatR p = MatR::Zero(n, n);
    for (int i = 0; i < n; ++i) p((i + 1) % n, i) = 1;
    check_real_eigenvalues<T>(p, 4, true, &got);
    for (const Cd l : got) EXPECT_NEAR(std::abs(std::pow(l, n) - 1.0), 0.0, 16 * n * n * kEps<T>);
  }
}

TYPED_TEST(DenseRealEigenvalues, SingularZeroAndOneByOne) {
  using T = TypeParam;
  std::mt19937_64 rng(43);
  std::vector<Cd> got;
  for (const int n : {1, 2, 3, 6, 10}) {
    check_real_eigenvalues<T>(MatR::Zero(n, n), 1, true, &got);
    for (const Cd l : got) EXPECT_EQ(l, Cd(0, 0));
  }
  MatR one(1, 1);
  one << -0.75;
  check_real_eigenvalues<T>(one, 1, true, &got);
  EXPECT_EQ(got[0], Cd(-0.75, 0));
  // Rank-deficient: X Y^T with X, Y n x r: eigenvalue 0 of multiplicity n - r,
  // semisimple, with the spectral projector P = 1 - X (Y^T X)^{-1} Y^T.
  for (const int n : {2, 3, 5, 8, 12}) {
    for (const int r : {1, n / 2, n - 1}) {
      if (r < 1) continue;
      const MatR x = rounded_real<T>(random_real(n, rng)).leftCols(r);
      const MatR y = rounded_real<T>(random_real(n, rng)).leftCols(r);
      const MatR p = MatR::Identity(n, n) - x * (y.transpose() * x).inverse() * y.transpose();
      const std::vector<Planted> zeros(n - r, Planted{0.0, spectral_norm(p)});
      check_real_eigenvalues<T>(MatR(x * y.transpose()), 4, true, nullptr, &zeros);
    }
  }
  // A nilpotent Jordan block, similarity-rotated: not semisimple, eigenvalues
  // only sqrt(eps)-accurate, but it must converge.
  MatR j = MatR::Zero(2, 2);
  j(0, 1) = 1;
  const MatR q = random_orthogonal(2, rng);
  std::vector<T> a = to_core_real<T>(MatR(q * j * q.transpose()));
  std::vector<Complex<T>> lambda(2);
  ASSERT_TRUE(dense::real_eigenvalues(a.data(), lambda.data(), 2));
  for (const auto& l : lambda) EXPECT_LE(std::hypot(l.re, l.im), 8 * std::sqrt(kEps<T>));
}

TYPED_TEST(DenseRealEigenvalues, BalancingRescuesBadlyScaledMatrices) {
  using T = TypeParam;
  std::mt19937_64 rng(44);
  for (const int n : {3, 5, 8}) {
    // D A D^{-1} with D = diag(2^{k * step}): exactly similar to A (powers of 2).
    const MatR a = random_real(n, rng);
    const int step = std::is_same_v<T, double> ? 12 : 5;
    VecR dd(n);
    for (int i = 0; i < n; ++i) dd(i) = std::ldexp(1.0, step * i - step * n / 2);
    const MatR scaled = dd.asDiagonal() * a * dd.cwiseInverse().asDiagonal();
    std::vector<T> buf = to_core_real<T>(scaled);
    std::vector<Complex<T>> lambda(n);
    ASSERT_TRUE(dense::real_eigenvalues(buf.data(), lambda.data(), n, true));
    // Eigenvalues of the unscaled A (rounded to T: D is exact).
    const VecC ref = Eigen::EigenSolver<MatR>(rounded_real<T>(a)).eigenvalues();
    const double norm = spectral_norm(a);
    for (int k = 0; k < n; ++k) {
      double best = 1e300;
      for (const auto& l : lambda) best = std::min(best, std::abs(Cd(l.re, l.im) - ref(k)));
      EXPECT_LE(best, 1e3 * n * kEps<T> * norm) << "n = " << n;
    }
    // Unbalanced, it still converges.
    buf = to_core_real<T>(scaled);
    EXPECT_TRUE(dense::real_eigenvalues(buf.data(), lambda.data(), n, false));
  }
}

TYPED_TEST(DenseRealEigenvalues, NonFiniteInputFailsAndTerminates) {
  using T = TypeParam;
  for (const T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
    for (const int n : {3, 6}) {
      std::vector<T> a(n * n, T(0.5));
      a[n + 2] = bad;
      std::vector<Complex<T>> lambda(n);
      EXPECT_FALSE(dense::real_eigenvalues(a.data(), lambda.data(), n));
    }
  }
}

TYPED_TEST(DenseRealEigenvalues, FixedSizeMatchesRuntimeSize) {
  using T = TypeParam;
  std::mt19937_64 rng(45);
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    const MatR m = random_real(n, rng);
    std::vector<Cd> g0, g1;
    check_real_eigenvalues<T, 0>(m, 4, true, &g0);
    check_real_eigenvalues<T, n>(m, 4, true, &g1);
    ASSERT_EQ(g0.size(), g1.size());
    for (int k = 0; k < n; ++k)
      EXPECT_LE(std::abs(g0[k] - g1[k]), 64 * n * kEps<T> * spectral_norm(m)) << "n = " << n;
  });
}

// ---- lu_solve -----------------------------------------------------------------------

template <typename T>
class DenseLuSolve : public ::testing::Test {};
TYPED_TEST_SUITE(DenseLuSolve, Precisions);

template <typename T, int N = 0>
void check_lu(const MatR& m, std::mt19937_64& rng) {
  const int n = static_cast<int>(m.rows());
  const MatR mt = rounded_real<T>(m);
  const MatR rhs = rounded_real<T>(random_real(n, rng));  // two right-hand sides: columns 0, 1
  std::vector<T> a = to_core_real<T>(m), b(n), b2(n);
  std::vector<int> piv(n);
  for (int i = 0; i < n; ++i) {
    b[i] = static_cast<T>(rhs(i, 0));
    b2[i] = static_cast<T>(rhs(i, std::min(1, n - 1)));
  }
  ASSERT_TRUE(dense::lu_solve<N>(a.data(), b.data(), n, piv.data()));
  dense::lu_substitute<N>(a.data(), piv.data(), b2.data(), n);
  const Eigen::FullPivLU<MatR> lu(mt);
  const Eigen::JacobiSVD<MatR> svd(mt);
  const double cond = svd.singularValues()(0) / svd.singularValues()(n - 1);
  for (const auto& [x, col] : {std::pair{&b, 0}, std::pair{&b2, std::min(1, n - 1)}}) {
    VecR xv(n);
    for (int i = 0; i < n; ++i) xv(i) = (*x)[i];
    const VecR ref = lu.solve(VecR(rhs.col(col)));
    EXPECT_LE((xv - ref).norm(), 4 * n * kEps<T> * cond * ref.norm()) << "n = " << n;
    EXPECT_LE((mt * xv - rhs.col(col)).norm(),
              4 * n * kEps<T> * svd.singularValues()(0) * xv.norm())
        << "n = " << n;
  }
}

TYPED_TEST(DenseLuSolve, MatchesFullPivLu) {
  using T = TypeParam;
  std::mt19937_64 rng(51);
  std::vector<int> sizes = kSmallSizes;
  sizes.insert(sizes.end(), {16, 32, 64});
  for (const int n : sizes)
    for (int trial = 0; trial < 3; ++trial) check_lu<T>(random_conditioned(n, 100, rng), rng);
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    check_lu<T, n>(random_conditioned(n, 100, rng), rng);
  });
}

TYPED_TEST(DenseLuSolve, ExactlySingularIsRefused) {
  using T = TypeParam;
  // Small integers: elimination is exact, so the zero pivot is exactly zero.
  const std::vector<std::vector<T>> singular = {
      {0},
      {0, 0, 0, 0},
      {1, 2, 2, 4},
      {1, 2, 3, 2, 4, 6, 1, 1, 1},
      {1, 0, 0, 0, 1, 0, 1, 1, 0},
      {2, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 2, 2, 1, 1},
  };
  for (auto a : singular) {
    const int n = static_cast<int>(std::lround(std::sqrt(double(a.size()))));
    std::vector<T> b(n, T(1));
    std::vector<int> piv(n);
    EXPECT_FALSE(dense::lu_solve(a.data(), b.data(), n, piv.data())) << "n = " << n;
  }
  std::vector<T> a = {std::numeric_limits<T>::quiet_NaN(), 1, 1, 1};
  std::vector<T> b = {1, 1};
  EXPECT_FALSE(dense::lu_solve(a.data(), b.data(), 2, nullptr));
  // Without a pivot array.
  std::vector<T> ok = {0, 2, 4, 0};
  std::vector<T> rhs = {2, 8};
  ASSERT_TRUE(dense::lu_solve<2>(ok.data(), rhs.data(), 2, nullptr));
  EXPECT_EQ(rhs[0], T(2));
  EXPECT_EQ(rhs[1], T(1));
}

// ---- kernel_projection ----------------------------------------------------------------

template <typename T>
class DenseKernelProjection : public ::testing::Test {};
TYPED_TEST_SUITE(DenseKernelProjection, Precisions);

/// A random real n x n map M = S diag(1 (nullity times), others) S^{-1}, the
/// others real and complex pairs of modulus < 1, S with condition <= 4.
struct PlantedMap {
  MatR m;
  MatR projector;  ///< S diag(1, .., 1, 0, ..) S^{-1}: the exact P
};
PlantedMap planted_map(int n, int nullity, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-0.9, 0.9);
  MatR d = MatR::Zero(n, n), e = MatR::Zero(n, n);
  for (int i = 0; i < nullity; ++i) d(i, i) = e(i, i) = 1;
  for (int i = nullity; i < n; ++i) {
    if (i + 1 < n && u(rng) > 0) {  // a complex pair a +- i b, |a + i b| < 1
      const double a = 0.6 * u(rng), b = 0.6 * u(rng);
      d.block(i, i, 2, 2) << a, -b, b, a;
      ++i;
    } else {
      d(i, i) = u(rng);
    }
  }
  const MatR s = random_conditioned(n, 4, rng);
  const MatR sinv = s.inverse();
  return {s * d * sinv, s * e * sinv};
}

/// The projector of the brief, built with Eigen's SVD: K = the right singular
/// vectors of B's `nullity` smallest singular values, R = the left ones of
/// the others; [K | R] c = x0; P x0 = K c_K.
VecR svd_projection(const MatR& b, int nullity, const VecR& x0) {
  const int n = static_cast<int>(b.rows());
  const Eigen::JacobiSVD<MatR> svd(b, Eigen::ComputeFullU | Eigen::ComputeFullV);
  MatR kr(n, n);
  kr << svd.matrixV().rightCols(nullity), svd.matrixU().leftCols(n - nullity);
  const VecR c = Eigen::FullPivLU<MatR>(kr).solve(x0);
  return svd.matrixV().rightCols(nullity) * c.head(nullity);
}

template <typename T, int N = 0>
std::vector<T> run_projection(const MatR& b, int nullity, const VecR& x0, bool expect_ok = true) {
  const int n = static_cast<int>(b.rows());
  const std::vector<T> bt = to_core_real<T>(b);
  std::vector<T> x(n), out(n, T(-7)), scratch(dense::kernel_projection_scratch(n, nullity));
  for (int i = 0; i < n; ++i) x[i] = static_cast<T>(x0(i));
  const bool ok =
      dense::kernel_projection<N>(bt.data(), n, nullity, x.data(), out.data(), scratch.data());
  EXPECT_EQ(ok, expect_ok) << "n = " << n << " nullity = " << nullity;
  return out;
}

TYPED_TEST(DenseKernelProjection, MatchesPlantedAndSvdProjectors) {
  using T = TypeParam;
  std::mt19937_64 rng(61);
  std::vector<int> sizes = kSmallSizes;
  sizes.insert(sizes.end(), {16, 32});
  for (const int n : sizes) {
    for (const int nullity : {1, 2, 3}) {
      if (nullity > n) continue;
      for (int trial = 0; trial < 2; ++trial) {
        const PlantedMap pm = planted_map(n, nullity, rng);
        const MatR b = rounded_real<T>(MatR(pm.m - MatR::Identity(n, n)));
        const VecR x0 = rounded_real<T>(random_real(n, rng)).col(0);
        const std::vector<T> out = run_projection<T>(b, nullity, x0);
        VecR got(n);
        for (int i = 0; i < n; ++i) got(i) = out[i];
        const VecR exact = pm.projector * x0;
        const VecR via_svd = svd_projection(b, nullity, x0);
        // S has condition <= 4 and the other eigenvalues stay 0.1 away from 1.
        const double tol = 100 * n * kEps<T> * x0.norm();
        EXPECT_LE((got - via_svd).norm(), tol) << "n = " << n << " nullity = " << nullity;
        EXPECT_LE((got - exact).norm(), tol + 1e3 * kEps<T> * x0.norm())
            << "n = " << n << " nullity = " << nullity;
        EXPECT_LE((b * got).norm(), tol) << "P x0 is not in ker B";
      }
    }
  }
}

TYPED_TEST(DenseKernelProjection, GeneratorKernelAndFixedSizes) {
  using T = TypeParam;
  std::mt19937_64 rng(62);
  // A GKSL-like generator: eigenvalue 0 once, the others with negative real parts.
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    VecR rates(n);
    rates(0) = 0;
    for (int i = 1; i < n; ++i) rates(i) = -0.5 - 3.0 * i;
    const MatR s = random_conditioned(n, 3, rng);
    const MatR l = rounded_real<T>(MatR(s * rates.asDiagonal() * s.inverse()));
    const VecR x0 = rounded_real<T>(random_real(n, rng)).col(0);
    const std::vector<T> o0 = run_projection<T, 0>(l, 1, x0);
    const std::vector<T> o1 = run_projection<T, n>(l, 1, x0);
    const VecR ref = svd_projection(l, 1, x0);
    for (int i = 0; i < n; ++i) {
      EXPECT_NEAR(o0[i], ref(i), 200 * n * kEps<T> * x0.norm()) << "n = " << n;
      EXPECT_NEAR(o1[i], o0[i], 16 * n * kEps<T> * x0.norm()) << "n = " << n;
    }
  });
}

TYPED_TEST(DenseKernelProjection, EdgeCases) {
  using T = TypeParam;
  std::mt19937_64 rng(63);
  const int n = 5;
  const VecR x0 = rounded_real<T>(random_real(n, rng)).col(0);
  // nullity 0: ker B = {0}.
  const MatR inv = random_conditioned(n, 3, rng);
  for (const T x : run_projection<T>(inv, 0, x0)) EXPECT_EQ(x, T(0));
  // B = 0, nullity n: P = 1.
  const std::vector<T> all = run_projection<T>(MatR::Zero(n, n), n, x0);
  for (int i = 0; i < n; ++i) EXPECT_EQ(all[i], static_cast<T>(x0(i)));
  // B = 0 claimed to have rank 1: refused.
  run_projection<T>(MatR::Zero(n, n), n - 1, x0, false);
  // Nullity outside [0, n].
  run_projection<T>(inv, -1, x0, false);
  run_projection<T>(inv, n + 1, x0, false);
  // 1x1: B = 0, nullity 1.
  MatR z = MatR::Zero(1, 1);
  VecR x1(1);
  x1 << 0.25;
  EXPECT_EQ(run_projection<T>(z, 1, x1)[0], T(0.25));
  // A Jordan block at 0 (not semisimple: ker B inside range B): L^T K = 0.
  MatR j = MatR::Zero(2, 2);
  j(0, 1) = 1;
  VecR x2(2);
  x2 << 1, 1;
  run_projection<T>(j, 1, x2, false);
}

// ---- real_expm and expm_and_integral -------------------------------------------------

template <typename T>
class DenseExpm : public ::testing::Test {};
TYPED_TEST_SUITE(DenseExpm, Precisions);

template <typename T, int N = 0>
MatR run_expm(const MatR& a) {
  const int n = static_cast<int>(a.rows());
  const std::vector<T> at = to_core_real<T>(a);
  std::vector<T> out(n * n), scratch(dense::real_expm_scratch(n));
  dense::real_expm<N>(at.data(), out.data(), n, scratch.data());
  return to_eigen_real(out.data(), n);
}

TYPED_TEST(DenseExpm, MatchesEigenMatrixExponential) {
  using T = TypeParam;
  std::mt19937_64 rng(71);
  std::vector<int> sizes = kSmallSizes;
  sizes.push_back(16);
  for (const int n : sizes) {
    for (const double norm : {1e-3, 0.3, 1.0, 5.0, 20.0}) {
      const MatR a = rounded_real<T>(MatR(norm / std::sqrt(double(n)) * random_real(n, rng)));
      const MatR ref = a.exp();
      const MatR got = run_expm<T>(a);
      // Scaling and squaring: ~ (s + n) eps relative, s = log2(||a||_1) + 1.
      const double s = std::max(0.0, std::log2(a.cwiseAbs().colwise().sum().maxCoeff()) + 1);
      EXPECT_LE((got - ref).norm(), 4 * (s + n) * kEps<T> * ref.norm() * std::max(1.0, norm))
          << "n = " << n << " norm = " << norm;
    }
  }
  // exp(0) = 1 and exp(diag) exactly enough.
  EXPECT_EQ(run_expm<T>(MatR::Zero(4, 4)), MatR::Identity(4, 4));
  MatR d = MatR::Zero(3, 3);
  d.diagonal() << -1, 0.5, 2;
  const MatR ed = run_expm<T>(d);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(ed(i, i), std::exp(d(i, i)), 32 * kEps<T> * 8);
}

TYPED_TEST(DenseExpm, SameAsTheFixedSizeCoreAndFixedSizes) {
  using T = TypeParam;
  std::mt19937_64 rng(72);
  const MatR a = rounded_real<T>(random_real(4, rng));
  core::Mat<T, 4> am;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) am[i][j] = static_cast<T>(a(i, j));
  const core::Mat<T, 4> ec = core::real_expm(am);
  const MatR got = run_expm<T, 4>(a);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(got(i, j), ec[i][j], 4 * kEps<T> * got.norm());
  for_sizes(FixedSizes{}, [&](auto size) {
    constexpr int n = decltype(size)::value;
    const MatR m = rounded_real<T>(random_real(n, rng));
    const MatR fixed = run_expm<T, n>(m), runtime = run_expm<T, 0>(m);
    EXPECT_LE((fixed - runtime).norm(), 16 * n * kEps<T> * runtime.norm()) << "n = " << n;
  });
}

template <typename T, int N = 0>
std::pair<MatR, MatR> run_integral(const MatR& l, double t) {
  const int n = static_cast<int>(l.rows());
  const std::vector<T> lt = to_core_real<T>(l);
  std::vector<T> e(n * n), f(n * n), scratch(dense::expm_and_integral_scratch(n));
  dense::expm_and_integral<N>(lt.data(), static_cast<T>(t), e.data(), f.data(), n, scratch.data());
  return {to_eigen_real(e.data(), n), to_eigen_real(f.data(), n)};
}

TYPED_TEST(DenseExpm, IntegralMatchesClosedFormAndVanLoan) {
  using T = TypeParam;
  std::mt19937_64 rng(73);
  for (const int n : {1, 2, 3, 4, 5, 8, 12}) {
    for (const double t : {0.05, 1.0, 3.0}) {
      // Invertible: F = L^{-1} (e^{L t} - 1).
      const MatR l = rounded_real<T>(random_conditioned(n, 3, rng));
      const auto [e, f] = run_integral<T>(l, t);
      const MatR eref = MatR(l * double(static_cast<T>(t))).exp();
      const MatR fref = l.inverse() * (eref - MatR::Identity(n, n));
      const double s = std::max(1.0, std::log2(3.0 * n * t) + 1);
      EXPECT_LE((e - eref).norm(), 16 * (s + n) * kEps<T> * eref.norm()) << "n = " << n;
      EXPECT_LE((f - fref).norm(), 16 * (s + n) * kEps<T> * 3 * fref.norm()) << "n = " << n;
    }
  }
  // Singular L (a generator with a zero eigenvalue): against Eigen's exponential of the block.
  for (const int n : {2, 4, 6}) {
    VecR rates(n);
    for (int i = 0; i < n; ++i) rates(i) = -1.0 * i;
    const MatR s = random_conditioned(n, 3, rng);
    const MatR l = rounded_real<T>(MatR(s * rates.asDiagonal() * s.inverse()));
    const double t = 0.7;
    const auto [e, f] = run_integral<T>(l, t);
    MatR blk = MatR::Zero(2 * n, 2 * n);
    blk.topLeftCorner(n, n) = l * double(static_cast<T>(t));
    blk.topRightCorner(n, n) = double(static_cast<T>(t)) * MatR::Identity(n, n);
    const MatR x = blk.exp();
    EXPECT_LE((e - x.topLeftCorner(n, n)).norm(), 64 * n * kEps<T> * x.norm()) << "n = " << n;
    EXPECT_LE((f - x.topRightCorner(n, n)).norm(), 64 * n * kEps<T> * x.norm()) << "n = " << n;
  }
  // L = 0: e = 1, f = t 1.
  const auto [e0, f0] = run_integral<T>(MatR::Zero(3, 3), 2.5);
  EXPECT_EQ(e0, MatR::Identity(3, 3));
  EXPECT_EQ(f0, MatR(2.5 * MatR::Identity(3, 3)));
  // The core's fixed-size 4x4 version, and the compile-time size.
  const MatR l4 = rounded_real<T>(random_real(4, rng));
  core::Mat<T, 4> lm, ec, fc;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) lm[i][j] = static_cast<T>(l4(i, j));
  core::expm_and_integral(lm, T(0.3), ec, fc);
  const auto [e4, f4] = run_integral<T, 4>(l4, 0.3);
  const auto [e4r, f4r] = run_integral<T, 0>(l4, 0.3);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR(e4(i, j), ec[i][j], 8 * kEps<T> * e4.norm());
      EXPECT_NEAR(f4(i, j), fc[i][j], 8 * kEps<T> * f4.norm());
      EXPECT_NEAR(e4(i, j), e4r(i, j), 8 * kEps<T> * e4.norm());
      EXPECT_NEAR(f4(i, j), f4r(i, j), 8 * kEps<T> * f4.norm());
    }
}

// ---- helpers ----------------------------------------------------------------------------

template <typename T>
class DenseHelpers : public ::testing::Test {};
TYPED_TEST_SUITE(DenseHelpers, Precisions);

TYPED_TEST(DenseHelpers, ProductsAdjointAndNormsMatchEigen) {
  using T = TypeParam;
  std::mt19937_64 rng(81);
  for (const int n : {1, 2, 3, 5, 8, 13}) {
    const MatC x = rounded<T>(random_complex(n, rng)), y = rounded<T>(random_complex(n, rng));
    const std::vector<Complex<T>> xc = to_core<T>(x), yc = to_core<T>(y);
    std::vector<Complex<T>> out(n * n), vec(n), vin(n);
    for (int i = 0; i < n; ++i) vin[i] = yc[i * n];  // y's first column
    dense::matmul(xc.data(), yc.data(), out.data(), n);
    EXPECT_LE(max_abs(MatC(to_eigen(out.data(), n) - x * y)), 4 * n * kEps<T> * 8);
    dense::matvec(xc.data(), vin.data(), vec.data(), n);
    for (int i = 0; i < n; ++i)
      EXPECT_LE(std::abs(Cd(vec[i].re, vec[i].im) - (x * y.col(0))(i)), 4 * n * kEps<T> * 8);
    dense::adjoint(xc.data(), out.data(), n);
    EXPECT_EQ(to_eigen(out.data(), n), MatC(x.adjoint()));
    EXPECT_NEAR(dense::frobenius_norm2(xc.data(), n), x.squaredNorm(),
                4 * n * n * kEps<T> * x.squaredNorm());

    const MatR a = rounded_real<T>(random_real(n, rng)), b = rounded_real<T>(random_real(n, rng));
    const std::vector<T> ar = to_core_real<T>(a), br = to_core_real<T>(b);
    std::vector<T> rr(n * n), rv(n), ri(n);
    for (int i = 0; i < n; ++i) ri[i] = br[i * n];
    dense::matmul(ar.data(), br.data(), rr.data(), n);
    EXPECT_LE(max_abs(MatR(to_eigen_real(rr.data(), n) - a * b)), 4 * n * kEps<T> * 8);
    dense::matvec(ar.data(), ri.data(), rv.data(), n);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(rv[i], (a * b.col(0))(i), 4 * n * kEps<T> * 8);
    dense::transpose(ar.data(), rr.data(), n);
    EXPECT_EQ(to_eigen_real(rr.data(), n), MatR(a.transpose()));
    // From the transpose: the same sums in the same order, bit for bit.
    std::vector<T> rt(n);
    dense::matvec_transposed(rr.data(), ri.data(), rt.data(), n);
    for (int i = 0; i < n; ++i) EXPECT_EQ(rt[i], rv[i]) << "n = " << n << ", row " << i;
    std::vector<Complex<T>> xt(n * n), vect(n);
    dense::transpose(xc.data(), xt.data(), n);
    dense::matvec_transposed(xt.data(), vin.data(), vect.data(), n);
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(vect[i].re, vec[i].re) << "n = " << n << ", row " << i;
      EXPECT_EQ(vect[i].im, vec[i].im) << "n = " << n << ", row " << i;
    }
    if (n == 8) {  // the compile-time size too
      dense::matvec_transposed<8>(rr.data(), ri.data(), rt.data(), n);
      for (int i = 0; i < n; ++i) EXPECT_EQ(rt[i], rv[i]) << "N = 8, row " << i;
    }
    // Rectangular and strided, at fixed sizes (register blocks of 16 rows and
    // their remainders) against the runtime size: the same bits.
    const auto rectangular = [&]<int C, int R>() {
      const int stride = R + 3;
      std::vector<T> xt(static_cast<std::size_t>(C) * stride), v(C), fixed(R), runtime(R);
      std::uniform_real_distribution<double> u(-1, 1);
      for (T& x : xt) x = T(u(rng));
      for (T& x : v) x = T(u(rng));
      dense::matvec_transposed<C, R>(xt.data(), v.data(), fixed.data(), C, R, stride);
      dense::matvec_transposed<0, 0>(xt.data(), v.data(), runtime.data(), C, R, stride);
      for (int i = 0; i < R; ++i) EXPECT_EQ(fixed[i], runtime[i]) << C << "x" << R << " row " << i;
    };
    if (n == 8) {
      rectangular.template operator()<8, 12>();
      rectangular.template operator()<15, 16>();
      rectangular.template operator()<15, 19>();
      rectangular.template operator()<63, 67>();
    }
    EXPECT_NEAR(dense::frobenius_norm2(ar.data(), n), a.squaredNorm(),
                4 * n * n * kEps<T> * a.squaredNorm());
    EXPECT_NEAR(dense::one_norm(ar.data(), n), a.cwiseAbs().colwise().sum().maxCoeff(),
                4 * n * kEps<T> * a.cwiseAbs().sum());
  }
  // The compile-time size gives the same products.
  const MatR a = rounded_real<T>(random_real(3, rng));
  const std::vector<T> ar = to_core_real<T>(a);
  std::vector<T> p0(9), p1(9);
  dense::matmul<0>(ar.data(), ar.data(), p0.data(), 3);
  dense::matmul<3>(ar.data(), ar.data(), p1.data(), 3);
  EXPECT_EQ(p0, p1);
}

}  // namespace
}  // namespace qcm
