// @file core layer: eigen-decomposition of Hermitian matrices on caller-owned
// arrays (the runtime-size counterpart of qcm/core/hermitian_expm.hpp).
//
// hermitian_eigen: cyclic complex Jacobi rotations, the algorithm of
// core::hermitian_eigen (same sweep limit, same convergence test, same phase
// computation for tiny entries). V is a product of exact plane rotations, so
// it is unitary to rounding whatever the norm of the matrix.
//
// hermitian_eigenvalues: values only, sorted, for the per-step entropies:
// closed forms for n = 1, 2, 3, Householder tridiagonalisation and root-free
// implicit QL beyond.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "qcm/core/branchless_trig.hpp"
#include "qcm/core/dense_basic.hpp"
#include "qcm/core/lanes.hpp"

namespace qcm::core::dense {

namespace detail {

/// The largest |re| or |im| among the entries of a (dim x dim), per lane for
/// lane vectors V (qcm/core/lanes.hpp: vector instructions, not one lane at a
/// time). NaN entries are skipped.
template <int N, typename V>
QCM_HD V largest_component(const Complex<V>* a, int dim) {
  V big = splat<V>(LaneScalar<V>(0));
  for (int i = 0; i < dim * dim; ++i) {
    const V re = lane_abs(a[i].re), im = lane_abs(a[i].im);
    const V m = lane_select(re > im, re, im);
    big = lane_select(m > big, m, big);
  }
  return big;
}

/// The power of 2 that brings `big`, the largest entry of a matrix, near 1
/// when it lies outside [2^-limit, 2^limit]; else 0 (also for 0 and inf).
template <typename T>
QCM_HD int unit_norm_exponent(T big, int limit) {
  int exponent = 0;
  if (big > T(0) && big <= Limits<T>::max_finite) std::frexp(big, &exponent);
  return exponent <= limit && exponent >= -limit ? 0 : exponent;
}

/// Divides lane `lane` of a (dim x dim) by 2^exponent (exact).
template <int N, typename V>
QCM_HD void scale_lane(Complex<V>* a, int dim, int exponent, int lane) {
  for (int i = 0; i < dim * dim; ++i) {
    lane_set(a[i].re, lane, std::ldexp(lane_get(a[i].re, lane), -exponent));
    lane_set(a[i].im, lane, std::ldexp(lane_get(a[i].im, lane), -exponent));
  }
}

/// When the largest entry of a (n x n, scalar) lies outside [2^-limit,
/// 2^limit], divides a by the power of 2 that brings it near 1 (exact) and
/// returns that exponent, by which eigenvalues are scaled back; else returns 0
/// and leaves a alone. NaN entries are ignored (the callers' checks see them);
/// infinite ones leave a alone.
template <int N, typename T>
QCM_HD int scale_near_unit_norm(Complex<T>* a, int n, int limit) {
  const int dim = size_of<N>(n);
  const int exponent = unit_norm_exponent(largest_component<N>(a, dim), limit);
  if (exponent != 0) scale_lane<N>(a, dim, exponent, 0);
  return exponent;
}

/// Cyclic Jacobi on the Hermitian a (dim x dim, destroyed: its diagonal ends
/// up holding the eigenvalues). Rotations are accumulated into v from the
/// right when v is not null (v must hold the identity, or a unitary to be
/// multiplied by the eigenvector matrix).
///
/// Only the rows and columns p, q change in a rotation. Since a stays
/// Hermitian, the new column entries a[k][p], a[k][q] (k != p, q) are
/// computed once and mirrored into the rows, and the 2x2 block becomes
/// diag(a_pp - t |a_pq|, a_qq + t |a_pq|) in closed form (t = tan theta). This
/// is the update of core::hermitian_eigen, at half the cost, and a stays
/// exactly Hermitian.
template <int N, typename T>
QCM_HD void jacobi_hermitian(Complex<T>* a, Complex<T>* v, int n) {
  const int dim = size_of<N>(n);
  const T eps = Limits<T>::epsilon;
  // The convergence test sums squares of entries: they overflow (or vanish)
  // for a matrix far from norm 1 (2^64 in float), which would stop the sweeps
  // at once. Such a matrix is brought near norm 1 by a power of 2 first (exact;
  // the rotations themselves are scale-invariant) and its eigenvalues scaled
  // back at the end.
  const int exponent = scale_near_unit_norm<N>(a, dim, 32);
  const bool rescale = exponent != 0;
  for (int sweep = 0; sweep < 32; ++sweep) {
    T off = 0, diag = 0;
    for (int p = 0; p < dim; ++p) {
      diag += a[p * dim + p].re * a[p * dim + p].re;
      for (int q = p + 1; q < dim; ++q) off += abs2(a[p * dim + q]);
    }
    // Converged when the off-diagonal mass is below rounding of the whole matrix.
    if (off <= eps * eps * (diag + off) * T(1e-2) || off == T(0)) break;
    if (off != off) {
      // A NaN off the diagonal: the rotations below skip it (fmax drops NaNs),
      // so say so in the eigenvalues instead of returning the bare diagonal.
      for (int p = 0; p < dim; ++p) a[p * dim + p].re = off;
      return;
    }
    for (int p = 0; p < dim - 1; ++p) {
      for (int q = p + 1; q < dim; ++q) {
        const Complex<T> a_pq = a[p * dim + q];
        // |a_pq| and its phase, scaled first so that tiny entries (denormal
        // squares in float) still give a phase of modulus one.
        const T big = std::fmax(std::fabs(a_pq.re), std::fabs(a_pq.im));
        if (big == T(0)) continue;
        const Complex<T> scaled = (T(1) / big) * a_pq;
        const T scaled_abs = abs(scaled);
        const T apq = big * scaled_abs;
        // a_pq = |a_pq| e^{i phi}; G = diag(1, e^{-i phi}) R(theta) zeroes it.
        const Complex<T> phase_c = conj((T(1) / scaled_abs) * scaled);
        const T app = a[p * dim + p].re, aqq = a[q * dim + q].re;
        const T theta = (aqq - app) / (T(2) * apq);
        // t = sign(theta) / (|theta| + sqrt(theta^2 + 1)), without overflowing theta^2.
        const T t = std::fabs(theta) > T(1e15)
                        ? T(0.5) / theta
                        : (theta >= T(0) ? T(1) : T(-1)) /
                              (std::fabs(theta) + std::sqrt(theta * theta + T(1)));
        const T c = T(1) / std::sqrt(t * t + T(1));
        const T s = t * c;
        // Columns: A <- A G with G[p][p] = c, G[p][q] = s, G[q][p] = -s e^{-i phi},
        // G[q][q] = c e^{-i phi}; rows: A <- G^dagger A, the conjugates (mirror).
        for (int k = 0; k < dim; ++k) {
          if (k == p || k == q) continue;
          const Complex<T> akp = a[k * dim + p];
          const Complex<T> akq = a[k * dim + q] * phase_c;
          const Complex<T> new_kp = c * akp - s * akq;
          const Complex<T> new_kq = s * akp + c * akq;
          a[k * dim + p] = new_kp;
          a[k * dim + q] = new_kq;
          a[p * dim + k] = conj(new_kp);
          a[q * dim + k] = conj(new_kq);
        }
        a[p * dim + p] = Complex<T>{app - t * apq, T(0)};
        a[q * dim + q] = Complex<T>{aqq + t * apq, T(0)};
        a[p * dim + q] = Complex<T>{};
        a[q * dim + p] = Complex<T>{};
        if (v) {
          for (int k = 0; k < dim; ++k) {
            const Complex<T> vkp = v[k * dim + p];
            const Complex<T> vkq = v[k * dim + q] * phase_c;
            v[k * dim + p] = c * vkp - s * vkq;
            v[k * dim + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  if (rescale)
    for (int p = 0; p < dim; ++p) a[p * dim + p].re = std::ldexp(a[p * dim + p].re, exponent);
}

/// Eigenvalues of [[a00, a01], [conj(a01), a11]], ascending:
/// mean -+ hypot((a00 - a11) / 2, |a01|), the hypot scaled so that it neither
/// overflows nor underflows. Absolute error ~ eps * norm.
template <typename T>
QCM_HD_INLINE void eigenvalues_2x2(T a00, T a11, Complex<T> a01, T* w) {
  const T mean = T(0.5) * a00 + T(0.5) * a11;
  const T half = T(0.5) * a00 - T(0.5) * a11;
  const T big = std::fmax(std::fabs(half), std::fmax(std::fabs(a01.re), std::fabs(a01.im)));
  T r;
  if (big > T(0)) {
    const T inv = T(1) / big;
    const T x = half * inv, y = a01.re * inv, z = a01.im * inv;
    r = big * std::sqrt(x * x + y * y + z * z);
  } else {
    r = std::sqrt(half * half + abs2(a01));  // 0, or NaN when an entry is NaN
  }
  w[0] = mean - r;
  w[1] = mean + r;
}

template <typename T>
QCM_HD_INLINE void cross3(const Complex<T>* x, const Complex<T>* y, Complex<T>* out) {
  out[0] = x[1] * y[2] - x[2] * y[1];
  out[1] = x[2] * y[0] - x[0] * y[2];
  out[2] = x[0] * y[1] - x[1] * y[0];
}

/// Eigenvalues of a Hermitian 3x3 matrix (upper triangle and real diagonal
/// read), ascending, with absolute error a few eps * ||a||.
///
/// 1. Centre and scale: C = (a - m) / s, m = tr(a) / 3, s = sum of the moduli
///    of the entries of a - m (a sum, not a max, so that a NaN propagates).
///    Clustered eigenvalues (a ~ m, e.g. a near-pure state's two small ones
///    around 1/3 after centring) are then O(1) apart, and p^3, q cannot
///    overflow or underflow.
/// 2. det(C - lambda) = -(lambda^3 - p lambda - q), p = tr(C^2) / 2 > 0, q = det C:
///    lambda = 2 sqrt(p/3) cos(phi + 2 pi k / 3), cos(3 phi) = q / (2 (p/3)^{3/2}),
///    the acos argument clamped to [-1, 1] (rounding takes it just outside at a
///    double root).
/// 3. Near a double root this formula is only sqrt(eps)-accurate for the two
///    close eigenvalues (the roots of a polynomial are ill-conditioned in its
///    coefficients; those of a Hermitian matrix are not in its entries), but
///    always accurate for the eigenvalue that lies apart: with phi in
///    [0, pi/3], the largest one when cos(3 phi) >= 0, else the smallest; its
///    gap to the others is at least sqrt(p) (of a spread <= 2 sqrt(p)) and
///    its derivative in the acos argument stays bounded at +-1 (where the
///    close pair's is infinite). So only that one is taken from
///    the cubic; its eigenvector is the largest cross product of two rows of
///    C - lambda (rank 2, so accurate to eps / gap), and the other two are the
///    eigenvalues of C compressed to the orthogonal complement of that
///    eigenvector, a 2x2 closed form read off entries computed to eps.
/// Gap (relative to the scale of the traceless part) above which the
/// trigonometric eigenvalues of a 3x3 matrix are used as they are. Their error
/// grows like epsilon / gap; at 10^-1 they meet the same bounds as the
/// deflation (6 epsilon ||a|| on random matrices, 8 epsilon near pure states:
/// tests/dense_test.cpp), at 10^-2 they already miss them 2-3x.
template <typename T>
inline constexpr T kWellSeparated3x3 = T(0.1);

/// Steps 1 and 2 of eigenvalues_3x3 for a scalar or a lane vector V
/// (qcm/core/lanes.hpp): the centred and scaled matrix C, the trigonometric
/// solution of its cubic, and its three roots. eigenvalues_3x3 calls it for
/// one matrix; written branch-free so that a stepping loop in SIMD lanes can
/// call it for several points at once, keep the lanes whose roots are well
/// separated and give exactly the scalar numbers (tests/kernel_test.cpp; the
/// general kernels through hermitian_eigenvalues_lanes). A zero scale (a multiple of the
/// identity) gives NaN roots, which are not "separated".
template <typename V>
struct Cubic3x3 {
  V m, s;                                ///< centre and scale: C = (a - m) / s
  V d0, d1, d2;                          ///< the diagonal of C
  V x_re, x_im, y_re, y_im, z_re, z_im;  ///< C01, C12, C02
  V arg, r, cos_phi, sin_phi;            ///< cos(3 phi) = arg, the roots' radius 2 r
  V bottom, middle, top;                 ///< the roots of C's cubic
};

template <typename V>
QCM_HD_INLINE Cubic3x3<V> cubic_3x3(V a00, V a11, V a22, V x_re, V x_im, V y_re, V y_im, V z_re,
                                    V z_im) {
  using S = LaneScalar<V>;
  Cubic3x3<V> c;
  c.m = (a00 + a11 + a22) / S(3);
  V d0 = a00 - c.m, d1 = a11 - c.m, d2 = a22 - c.m;
  c.s = lane_abs(d0) + lane_abs(d1) + lane_abs(d2) + lane_abs(x_re) + lane_abs(x_im) +
        lane_abs(y_re) + lane_abs(y_im) + lane_abs(z_re) + lane_abs(z_im);
  const V inv = S(1) / c.s;
  c.d0 = d0 * inv;
  c.d1 = d1 * inv;
  c.d2 = d2 * inv;
  c.x_re = inv * x_re;
  c.x_im = inv * x_im;
  c.y_re = inv * y_re;
  c.y_im = inv * y_im;
  c.z_re = inv * z_re;
  c.z_im = inv * z_im;
  const V xx = c.x_re * c.x_re + c.x_im * c.x_im;
  const V yy = c.y_re * c.y_re + c.y_im * c.y_im;
  const V zz = c.z_re * c.z_re + c.z_im * c.z_im;
  const V p = S(0.5) * (c.d0 * c.d0 + c.d1 * c.d1 + c.d2 * c.d2) + xx + yy + zz;
  // Re(x y conj(z)), in the order of Complex's product.
  const V xy_re = c.x_re * c.y_re - c.x_im * c.y_im;
  const V xy_im = c.x_re * c.y_im + c.x_im * c.y_re;
  const V xyz_re = xy_re * c.z_re - xy_im * (-c.z_im);
  const V q = c.d0 * c.d1 * c.d2 + S(2) * xyz_re - c.d0 * yy - c.d1 * zz - c.d2 * xx;
  c.r = lane_sqrt(p / S(3));
  V arg = q / (S(2) * c.r * c.r * c.r);
  arg = lane_select(arg > splat<V>(S(1)), splat<V>(S(1)), arg);
  arg = lane_select(arg < splat<V>(S(-1)), splat<V>(S(-1)), arg);
  c.arg = arg;
  const V phi = branchless_acos(arg) / S(3);
  branchless_cos_sin_third(phi, c.cos_phi, c.sin_phi);
  const S sqrt3 = S(1.7320508075688772935);
  c.top = S(2) * c.r * c.cos_phi;                     // 2 r cos(phi)
  c.bottom = -c.r * (c.cos_phi + sqrt3 * c.sin_phi);  // 2 r cos(phi + 2 pi / 3)
  c.middle = -c.top - c.bottom;                       // the trace of C is 0
  return c;
}

/// Whether the trigonometric roots of c are final: every gap above
/// kWellSeparated3x3 of the (unit) scale (per lane for lane vectors).
template <typename V>
QCM_HD_INLINE auto well_separated(const Cubic3x3<V>& c) {
  const V gap = splat<V>(kWellSeparated3x3<LaneScalar<V>>);
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return c.top - c.middle > gap && c.middle - c.bottom > gap;
  } else {
    return (c.top - c.middle > gap) & (c.middle - c.bottom > gap);
  }
}

template <typename T>
QCM_HD void eigenvalues_3x3(const Complex<T>* a, T* w) {
  const Cubic3x3<T> c =
      cubic_3x3<T>(a[0].re, a[4].re, a[8].re, a[1].re, a[1].im, a[5].re, a[5].im, a[2].re, a[2].im);
  const T m = c.m, s = c.s;
  if (s == T(0)) {  // a = m * identity
    w[0] = w[1] = w[2] = m;
    return;
  }
  // Well-separated roots: the trigonometric values are accurate to rounding
  // divided by the smallest gap (acos is ill-conditioned only near a double
  // root), so with every gap above kWellSeparated3x3 they are final. Near a
  // double root, the deflation below.
  if (well_separated(c)) {
    w[0] = m + s * c.bottom;
    w[1] = m + s * c.middle;
    w[2] = m + s * c.top;
    return;
  }
  const T d0 = c.d0, d1 = c.d1, d2 = c.d2, arg = c.arg, r = c.r, cos_phi = c.cos_phi,
          sin_phi = c.sin_phi;
  const Complex<T> x{c.x_re, c.x_im}, y{c.y_re, c.y_im}, z{c.z_re, c.z_im};
  // Largest 2 r cos(phi), smallest 2 r cos(phi + 2 pi / 3) = -r (cos phi + sqrt(3) sin phi).
  const T lambda =
      arg >= T(0) ? T(2) * r * cos_phi : -r * (cos_phi + T(1.7320508075688772935) * sin_phi);
  // Eigenvector of lambda: the null vector of the rank-2 matrix C - lambda.
  const Complex<T> rows[3][3] = {{{d0 - lambda, T(0)}, x, z},
                                 {conj(x), {d1 - lambda, T(0)}, y},
                                 {conj(z), conj(y), {d2 - lambda, T(0)}}};
  Complex<T> v[3], cand[3];
  cross3(rows[0], rows[1], v);
  T best = abs2(v[0]) + abs2(v[1]) + abs2(v[2]);
  cross3(rows[0], rows[2], cand);
  T n2 = abs2(cand[0]) + abs2(cand[1]) + abs2(cand[2]);
  if (n2 > best) {
    best = n2;
    for (int i = 0; i < 3; ++i) v[i] = cand[i];
  }
  cross3(rows[1], rows[2], cand);
  n2 = abs2(cand[0]) + abs2(cand[1]) + abs2(cand[2]);
  if (n2 > best) {
    best = n2;
    for (int i = 0; i < 3; ++i) v[i] = cand[i];
  }
  const T vinv = T(1) / std::sqrt(best);
  for (int i = 0; i < 3; ++i) v[i] = vinv * v[i];
  // Orthonormal u1, u2 with <v, u> = 0: u1 from the two largest components of
  // v (norm^2 >= 1/2), u2 = conj(v x u1).
  Complex<T> u1[3], u2[3];
  if (abs2(v[2]) <= T(0.5)) {
    const T ninv = T(1) / std::sqrt(abs2(v[0]) + abs2(v[1]));
    u1[0] = -ninv * conj(v[1]);
    u1[1] = ninv * conj(v[0]);
    u1[2] = Complex<T>{};
  } else {
    const T ninv = T(1) / std::sqrt(abs2(v[1]) + abs2(v[2]));
    u1[0] = Complex<T>{};
    u1[1] = -ninv * conj(v[2]);
    u1[2] = ninv * conj(v[1]);
  }
  cross3(v, u1, u2);
  for (int i = 0; i < 3; ++i) u2[i] = conj(u2[i]);
  // The compression [[u1* C u1, u1* C u2], [., u2* C u2]] and its eigenvalues.
  const auto apply = [&](const Complex<T>* u, Complex<T>* cu) {
    for (int i = 0; i < 3; ++i)
      cu[i] = rows[i][0] * u[0] + rows[i][1] * u[1] + rows[i][2] * u[2] + lambda * u[i];
  };
  Complex<T> cu1[3], cu2[3];
  apply(u1, cu1);
  apply(u2, cu2);
  T h11 = 0, h22 = 0;
  Complex<T> h12{};
  for (int i = 0; i < 3; ++i) {
    h11 += conj_mul(u1[i], cu1[i]).re;
    h22 += conj_mul(u2[i], cu2[i]).re;
    h12 = h12 + conj_mul(u1[i], cu2[i]);
  }
  T mu[2];
  eigenvalues_2x2(h11, h22, h12, mu);
  T e0 = m + s * mu[0], e1 = m + s * mu[1], e2 = m + s * lambda;
  // Sort (lambda is the largest or the smallest, up to rounding).
  if (e0 > e1) swap_values(e0, e1);
  if (e1 > e2) swap_values(e1, e2);
  if (e0 > e1) swap_values(e0, e1);
  w[0] = e0;
  w[1] = e1;
  w[2] = e2;
}

/// Largest size hermitian_eigenvalues takes beyond the fixed sizes (the fast
/// backends' systems: d_S d_A <= 64 with d_A >= 2); larger ones use Jacobi.
inline constexpr int kMaxDynamicEigenvalues = 32;

/// Eigenvalues of the Hermitian a (dim x dim, destroyed), unsorted: Householder
/// reduction to a tridiagonal matrix (its off-diagonal entries may be complex;
/// a diagonal unitary of phases makes them real and positive without changing
/// the eigenvalues, so only their moduli are kept), then root-free implicit QL
/// with Wilkinson shifts. About 8/3 n^3 + 30 n^2 flops, where cyclic Jacobi without
/// vectors takes 6 to 10 sweeps of 4 n^3: the per-collision entropies of a
/// d_S = 8 system are 10x cheaper this way.
///
/// V is a scalar or a lane vector (qcm/core/lanes.hpp): with lane vectors, L
/// matrices are reduced at once. The QL iterations are latency-bound (each
/// rotation waits on a division of the last); lanes run L independent chains
/// in the same instructions. Every branch of
/// the scalar algorithm is a per-lane mask (which lanes are still iterating,
/// where each one's unreduced block ends, which rotations reach its block), so each lane
/// computes exactly the scalar numbers: the same code is the scalar algorithm
/// when V is a scalar.
template <int N, typename V>
QCM_HD void tridiagonal_eigenvalues(Complex<V>* a, V* w, int n) {
  using T = LaneScalar<V>;
  using Mask = LaneMask<V>;
  constexpr int kLanes = LaneTraits<V>::kLanes;
  constexpr int kCap = N > 0 ? N : kMaxDynamicEigenvalues;
  const int dim = size_of<N>(n);
  V e2[kCap];  // squared moduli of the tridiagonal's off-diagonal entries
  Complex<V> v[kCap], u[kCap];
  // Squares of entries (the reflections' norms, the QL's squared couplings)
  // over- or underflow far from norm 1: bring the matrix near norm 1 by a
  // power of 2 (exact) and scale the eigenvalues back, so that no step needs
  // a scaled hypot (glibc's hypot took a third of the time of a d_S = 8
  // collision when the rotations had one). A block of the tridiagonal matrix
  // far below the norm is handled in the QL below.
  int exponent[kLanes];
  bool rescale = false;
  const V big = largest_component<N>(a, dim);
  for (int q = 0; q < kLanes; ++q) {
    exponent[q] = unit_norm_exponent(lane_get(big, q), 16);
    if (exponent[q] != 0) scale_lane<N>(a, dim, exponent[q], q);
    rescale = rescale || exponent[q] != 0;
  }
  const V zero = splat<V>(T(0)), one = splat<V>(T(1)), two = splat<V>(T(2));
  for (int k = 0; k + 2 < dim; ++k) {
    // x = a[k+1 .., k]: reflect onto a multiple of the first unit vector.
    V norm2 = zero;
    for (int i = k + 1; i < dim; ++i) norm2 += abs2(a[i * dim + k]);
    const V norm = lane_sqrt(norm2);
    const Complex<V> x0 = a[(k + 1) * dim + k];
    const V x0_abs = lane_sqrt(abs2(x0));
    const V tail = norm2 - x0_abs * x0_abs;  // |x|^2 without x0
    // Already tridiagonal in this column (or NaN): a is left as it is.
    const Mask skip = mask_or(mask_not(tail > zero), norm == zero);
    e2[k] = lane_select(skip, abs2(x0), norm2);
    if (all_lanes(skip)) continue;
    // v = x - alpha e1 with alpha = -phase(x0) |x| (no cancellation), |v| = 1.
    const Mask has_phase = x0_abs > zero;
    const Complex<V> phase{lane_select(has_phase, x0.re / x0_abs, one),
                           lane_select(has_phase, x0.im / x0_abs, zero)};
    v[k + 1] = x0 + (norm * phase);
    for (int i = k + 2; i < dim; ++i) v[i] = a[i * dim + k];
    const V vnorm2 = abs2(v[k + 1]) + tail;
    const V inv = one / lane_sqrt(vnorm2);
    for (int i = k + 1; i < dim; ++i) v[i] = inv * v[i];
    // u = A v, K = v^dagger u (real), u -= K v; A -= 2 (v u^dagger + u v^dagger).
    V kv = zero;
    for (int i = k + 1; i < dim; ++i) {
      Complex<V> sum{zero, zero};
      for (int j = k + 1; j < dim; ++j) sum = sum + a[i * dim + j] * v[j];
      u[i] = sum;
    }
    for (int i = k + 1; i < dim; ++i) kv += conj_mul(v[i], u[i]).re;
    for (int i = k + 1; i < dim; ++i) u[i] = u[i] - kv * v[i];
    // Entry (j, i) of the update is the exact conjugate of entry (i, j) when
    // A is exactly Hermitian (the same products, added in the other order;
    // without FMA contraction), so A stays exactly Hermitian: the lower
    // triangle is computed, the upper mirrored (an entry that cancels to zero
    // may get -0 there, which no later step tells apart).
    const bool some_skip = any_lane(skip);
    for (int i = k + 1; i < dim; ++i)
      for (int j = k + 1; j <= i; ++j) {
        Complex<V>& entry = a[i * dim + j];
        const Complex<V> reflected = entry - two * (v[i] * conj(u[j]) + u[i] * conj(v[j]));
        entry = some_skip ? Complex<V>{lane_select(skip, entry.re, reflected.re),
                                       lane_select(skip, entry.im, reflected.im)}
                          : reflected;
        if (j != i) a[j * dim + i] = conj(entry);
      }
  }
  for (int i = 0; i < dim; ++i) w[i] = a[i * dim + i].re;
  if (dim >= 2) e2[dim - 2] = abs2(a[(dim - 1) * dim + dim - 2]);
  e2[dim - 1] = zero;
  // Root-free implicit QL (the Pal-Walker-Kahan form, as LAPACK's dsterf) on
  // the squares e2[i] = |e_i|^2 of the couplings between i and i + 1: no
  // square root in the rotations, and only 1 / r on the dependency chain of
  // one rotation to the next (1 / p is computed beside it), where tqli's
  // rotations wait on a square root and then a division. Per lane: `active`
  // while the eigenvalue at l is not isolated (and fewer than 64 iterations
  // were spent on it), block_end (m) where its unreduced block ends. A
  // coupling is negligible when |e_m| <= eps (|d_m| + |d_m+1|) (tqli's test,
  // absolute in the block: exact zeros of pure states deflate, where dsterf's
  // |e_m|^2 <= eps^2 |d_m d_m+1| may not) or when |e_m|^2 is below the
  // smallest normal number. Within a block every e2 is then normal, so 1 / r
  // is finite; 1 / p is used only where p is normal (a p below it takes the
  // p = 0 branch, off by O(sqrt(min_normal)) relative: a tiny isolated block,
  // e.g. the populations near e^-46 of a cold state in float, stays finite).
  const T eps = Limits<T>::epsilon;
  const T eps2 = eps * eps;
  const V smallest = splat<V>(Limits<T>::min_normal);
  const Mask none = zero != zero;
  for (int l = 0; l < dim; ++l) {
    Mask active = mask_not(none);
    for (int iteration = 0; iteration < 64; ++iteration) {
      V block_end = splat<V>(T(dim - 1));
      Mask found = none;
      for (int m = l; m < dim - 1; ++m) {
        const V dd = lane_abs(w[m]) + lane_abs(w[m + 1]);
        const Mask negligible = mask_or(e2[m] <= eps2 * (dd * dd), e2[m] < smallest);
        block_end = lane_select(mask_and(negligible, mask_not(found)), splat<V>(T(m)), block_end);
        found = mask_or(found, negligible);
        if (all_lanes(found)) break;
      }
      active = mask_and(active, block_end != splat<V>(T(l)));
      if (!any_lane(active)) break;
      int m_of[kLanes];
      int m_max = l;
      for (int q = 0; q < kLanes; ++q) {
        m_of[q] = static_cast<int>(lane_get(block_end, q));
        if (mask_at(active, q) && m_of[q] > m_max) m_max = m_of[q];
      }
      // Wilkinson's shift sigma from the leading 2 x 2 of the block.
      const V rte = lane_sqrt(e2[l]);
      const V g = (w[l + 1] - w[l]) / (two * rte);
      const V root = lane_sqrt(g * g + one);
      const V sigma = w[l] - rte / (g + lane_copysign(root, g));
      const V w_m = lanes_from<V>([&](int q) { return lane_get(w[m_of[q]], q); });
      V cosine2 = one, sine2 = zero;  // squares of the rotation's cosine and sine
      V gamma = w_m - sigma;
      V p = gamma * gamma;
      for (int i = m_max - 1; i >= l; --i) {
        // Lanes whose block reaches i (every active lane's block does once i
        // is below its m); the others keep the starting values.
        const Mask part = mask_and(active, splat<V>(T(i)) < block_end);
        const Mask inside = mask_and(active, splat<V>(T(i + 1)) < block_end);
        const V bb = e2[i];
        const V r = p + bb;  // >= min_normal in the lanes of `part` (bb is)
        const V inv_r = one / r, inv_p = one / p;
        e2[i + 1] = lane_select(inside, sine2 * r, e2[i + 1]);
        const V cosine2_next = p * inv_r, sine2_next = bb * inv_r;
        const V alpha = w[i];
        const V gamma_next = cosine2_next * (alpha - sigma) - sine2_next * gamma;
        w[i + 1] = lane_select(part, gamma + (alpha - gamma_next), w[i + 1]);
        // gamma'^2 / c^2 with c^2 = p / r; c^2 = 0 (p = 0, or p subnormal):
        // the old c^2 times bb.
        const V p_next =
            lane_select(p >= smallest, gamma_next * gamma_next * (r * inv_p), cosine2 * bb);
        cosine2 = lane_select(part, cosine2_next, cosine2);
        sine2 = lane_select(part, sine2_next, sine2);
        gamma = lane_select(part, gamma_next, gamma);
        p = lane_select(part, p_next, p);
      }
      e2[l] = lane_select(active, sine2 * p, e2[l]);
      w[l] = lane_select(active, sigma + gamma, w[l]);
      for (int q = 0; q < kLanes; ++q)
        if (mask_at(active, q)) lane_set(e2[m_of[q]], q, T(0));
    }
  }
  if (rescale)
    for (int q = 0; q < kLanes; ++q)
      if (exponent[q] != 0)
        for (int i = 0; i < dim; ++i) lane_set(w[i], q, std::ldexp(lane_get(w[i], q), exponent[q]));
}

}  // namespace detail

/// Eigen-decomposition a = v diag(w) v^dagger of the Hermitian n x n matrix a
/// (destroyed). w gets the eigenvalues, unsorted (sort_ascending and
/// permute_columns sort them with their vectors). v, when not null, gets the
/// eigenvectors as columns: v[i * n + k] is component i of eigenvector k; it
/// is unitary to rounding for any norm of a. With v null only the
/// eigenvalues are computed (no rotations accumulated).
template <int N = 0, typename T>
QCM_HD void hermitian_eigen(Complex<T>* a, T* w, std::type_identity_t<Complex<T>>* v, int n) {
  const int dim = size_of<N>(n);
  if (v) set_identity<N>(v, dim);
  detail::jacobi_hermitian<N>(a, v, dim);
  for (int i = 0; i < dim; ++i) w[i] = a[i * dim + i].re;
}

/// Scratch of hermitian_eigenvalues, in Complex<T> elements (none for n <= 3).
QCM_HD constexpr std::size_t hermitian_eigenvalues_scratch(int n) {
  return n > 3 ? static_cast<std::size_t>(n) * static_cast<std::size_t>(n) : 0;
}

/// Eigenvalues of the Hermitian n x n matrix a, sorted ascending. Closed forms
/// for n <= 3 (which read the upper triangle only; see detail::eigenvalues_3x3
/// for the accuracy near double roots), Householder and QL on a copy in
/// scratch (hermitian_eigenvalues_scratch(n) elements; may be null for n <= 3)
/// beyond (Jacobi without vectors above detail::kMaxDynamicEigenvalues when N = 0).
template <int N = 0, typename T>
QCM_HD void hermitian_eigenvalues(const Complex<T>* a, T* w, int n,
                                  std::type_identity_t<Complex<T>>* scratch) {
  const int dim = size_of<N>(n);
  if (dim == 1) {
    w[0] = a[0].re;
  } else if (dim == 2) {
    detail::eigenvalues_2x2(a[0].re, a[3].re, a[1], w);
  } else if (dim == 3) {
    detail::eigenvalues_3x3(a, w);
  } else if (dim > 3) {
    copy<N>(a, scratch, dim);
    if (N > 0 || dim <= detail::kMaxDynamicEigenvalues) {
      detail::tridiagonal_eigenvalues<N>(scratch, w, dim);
    } else {  // beyond the local arrays of the tridiagonal path
      detail::jacobi_hermitian<N>(scratch, static_cast<Complex<T>*>(nullptr), dim);
      for (int i = 0; i < dim; ++i) w[i] = scratch[i * dim + i].re;
    }
    sort_ascending<N>(w, dim, nullptr);
  }
}

namespace detail {
/// hermitian_eigenvalues<N> for N <= 3, out of line (QCM_HD_NOINLINE): the
/// per-lane fallbacks of hermitian_eigenvalues_lanes.
template <int N, typename T>
QCM_HD_NOINLINE void eigenvalues_out_of_line(const Complex<T>* a, T* w) {
  static_assert(N <= 3, "the closed forms need no scratch");
  hermitian_eigenvalues<N>(a, w, N, nullptr);
}
}  // namespace detail

/// The eigenvalues of L Hermitian N x N matrices at once, a[l] (read) to w[l]
/// (N values, ascending): for each lane exactly the numbers of
/// hermitian_eigenvalues<N> (tests/dense_test.cpp). N = 3 through the
/// trigonometric roots in lanes, a lane whose roots are not well separated
/// taking the scalar deflation; N >= 4 through tridiagonal_eigenvalues in
/// lanes; N <= 2 one matrix at a time (the closed form costs less than
/// packing). For L > 1 host code only (lane vectors are GCC vectors).
template <int N, int L, typename T>
QCM_HD void hermitian_eigenvalues_lanes(const Complex<T>* const* a, T* const* w) {
  static_assert(N > 0, "lanes take fixed sizes");
  using V = LaneVector<T, L>;
  const auto lanes_of = [&](int k, bool imaginary) {
    return lanes_from<V>([&](int l) { return imaginary ? a[l][k].im : a[l][k].re; });
  };
  if constexpr (N <= 2) {
    for (int l = 0; l < L; ++l) detail::eigenvalues_out_of_line<N>(a[l], w[l]);
  } else if constexpr (N == 3) {
    const detail::Cubic3x3<V> c =
        detail::cubic_3x3<V>(lanes_of(0, false), lanes_of(4, false), lanes_of(8, false),
                             lanes_of(1, false), lanes_of(1, true), lanes_of(5, false),
                             lanes_of(5, true), lanes_of(2, false), lanes_of(2, true));
    const auto separated = detail::well_separated(c);
    const V bottom = c.m + c.s * c.bottom, middle = c.m + c.s * c.middle, top = c.m + c.s * c.top;
    for (int l = 0; l < L; ++l) {
      if (mask_at(separated, l)) {
        w[l][0] = lane_get(bottom, l);
        w[l][1] = lane_get(middle, l);
        w[l][2] = lane_get(top, l);
      } else {
        detail::eigenvalues_out_of_line<3>(a[l], w[l]);
      }
    }
  } else {
    Complex<V> packed[N * N];
    for (int k = 0; k < N * N; ++k) packed[k] = {lanes_of(k, false), lanes_of(k, true)};
    V lambda[N];
    detail::tridiagonal_eigenvalues<N>(packed, lambda, N);
    for (int l = 0; l < L; ++l) {
      for (int i = 0; i < N; ++i) w[l][i] = lane_get(lambda[i], l);
      sort_ascending<N>(w[l], N, nullptr);
    }
  }
}

}  // namespace qcm::core::dense
