// @file core layer: steady states of the collision map and of its GKSL limit.
//
// Both dynamics are affine on the Bloch vector, x = (r, 1):
//   collisions   x_{k+1} = A x_k,     A = [[M, c], [0, 1]]   (docs/physics.md §4)
//   GKSL         dx/dt   = L x,       L = [[G, g], [0, 0]]   (docs/physics.md §5)
// so a steady state is a 3x3 linear solve when it is unique, and the spectral
// projector onto eigenvalue 1 of A (0 of L) applied to x_0 when it is not.
// Eigenvalues of the 3x3 block come from its characteristic cubic; an
// eigenvalue counts as "1" (or "0") within Tolerances::unit_eigenvalue
// (qcm/core/tolerances.hpp, documented in docs/steady-states.md).
#pragma once

#include <cmath>

#include "qcm/core/affine_power.hpp"
#include "qcm/core/channel.hpp"

namespace qcm::core {

/// Eigenvalues of a real 3x3 matrix (roots of its characteristic cubic, the
/// real one polished by Newton steps).
template <typename T>
QCM_HD void eigenvalues_3x3_centred(const T (&m)[3][3], Complex<T> (&lambda)[3]) {
  const T tr = m[0][0] + m[1][1] + m[2][2];
  const T minors = m[0][0] * m[1][1] - m[0][1] * m[1][0] + m[0][0] * m[2][2] - m[0][2] * m[2][0] +
                   m[1][1] * m[2][2] - m[1][2] * m[2][1];
  const T det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  // lambda^3 + a2 lambda^2 + a1 lambda + a0
  const T a2 = -tr, a1 = minors, a0 = -det;
  const T p = a1 - a2 * a2 / T(3);
  const T q = T(2) * a2 * a2 * a2 / T(27) - a2 * a1 / T(3) + a0;
  const T disc = q * q / T(4) + p * p * p / T(27);
  T t;
  if (disc > T(0)) {
    const T sd = std::sqrt(disc);
    t = std::cbrt(-q / T(2) + sd) + std::cbrt(-q / T(2) - sd);
  } else if (p < T(0)) {
    const T arg = T(3) * q / (T(2) * p) * std::sqrt(T(-3) / p);
    const T clamped = arg > T(1) ? T(1) : (arg < T(-1) ? T(-1) : arg);
    t = T(2) * std::sqrt(-p / T(3)) * std::cos(std::acos(clamped) / T(3));
  } else {
    t = std::cbrt(-q);
  }
  T root = t - a2 / T(3);
  for (int it = 0; it < 3; ++it) {  // Newton polish on the undepressed cubic
    const T f = ((root + a2) * root + a1) * root + a0;
    const T df = (T(3) * root + T(2) * a2) * root + a1;
    if (df == T(0)) break;
    // At a (near) multiple root df ~ 0 and the step can throw the root far
    // away: keep a step only if it reduces the residual.
    const T next = root - f / df;
    const T f_next = ((next + a2) * next + a1) * next + a0;
    if (!(std::fabs(f_next) < std::fabs(f))) break;
    root = next;
  }
  // Deflate: lambda^2 + b1 lambda + b0.
  const T b1 = a2 + root;
  const T b0 = a1 + root * b1;
  const T d2 = b1 * b1 - T(4) * b0;
  lambda[0] = {root, T(0)};
  if (d2 >= T(0)) {
    const T sq = std::sqrt(d2);
    const T big = b1 >= T(0) ? (-b1 - sq) / T(2) : (-b1 + sq) / T(2);  // no cancellation
    lambda[1] = {big, T(0)};
    lambda[2] = {big != T(0) ? b0 / big : T(0), T(0)};
  } else {
    const T im = std::sqrt(-d2) / T(2);
    lambda[1] = {-b1 / T(2), im};
    lambda[2] = {-b1 / T(2), -im};
  }
}

/// Eigenvalues of a real 3x3 matrix. The cubic is solved for the centred and
/// scaled matrix (M - tr(M)/3) / max|M - tr(M)/3|: clustered eigenvalues (M ~ a I,
/// e.g. M = I + O(dt) at small dt, or an isotropic contraction) would otherwise
/// come out with errors ~eps^(1/3) relative to |M| (6e-6 in double), enough to
/// put a contraction's eigenvalue outside the unit circle.
template <typename T>
QCM_HD void eigenvalues_3x3(const T (&m)[3][3], Complex<T> (&lambda)[3]) {
  const T shift = (m[0][0] + m[1][1] + m[2][2]) / T(3);
  T d[3][3];
  T scale = T(0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      d[i][j] = m[i][j] - (i == j ? shift : T(0));
      scale = std::fabs(d[i][j]) > scale ? std::fabs(d[i][j]) : scale;
    }
  if (scale == T(0)) {
    for (int k = 0; k < 3; ++k) lambda[k] = {shift, T(0)};
    return;
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) d[i][j] /= scale;
  Complex<T> mu[3];
  eigenvalues_3x3_centred(d, mu);
  for (int k = 0; k < 3; ++k) lambda[k] = {shift + scale * mu[k].re, scale * mu[k].im};
}

/// Solve a x = b (3x3) by Gaussian elimination with partial pivoting; false if singular.
template <typename T>
QCM_HD bool solve_3x3(T (&a)[3][3], T (&b)[3], T (&x)[3]) {
  for (int col = 0; col < 3; ++col) {
    int piv = col;
    for (int r = col + 1; r < 3; ++r)
      if (std::fabs(a[r][col]) > std::fabs(a[piv][col])) piv = r;
    if (a[piv][col] == T(0)) return false;
    if (piv != col) {
      for (int k = 0; k < 3; ++k) {
        const T tmp = a[col][k];
        a[col][k] = a[piv][k];
        a[piv][k] = tmp;
      }
      const T tb = b[col];
      b[col] = b[piv];
      b[piv] = tb;
    }
    for (int r = col + 1; r < 3; ++r) {
      const T f = a[r][col] / a[col][col];
      for (int k = col; k < 3; ++k) a[r][k] -= f * a[col][k];
      b[r] -= f * b[col];
    }
  }
  for (int r = 2; r >= 0; --r) {
    T acc = b[r];
    for (int k = r + 1; k < 3; ++k) acc -= a[r][k] * x[k];
    x[r] = acc / a[r][r];
  }
  return true;
}

/// Spectral projector onto the eigenvalue `target` of the augmented 4x4 matrix
/// `aug`, given the eigenvalues of its 3x3 block, those within tolerance of
/// `target` excluded: P = prod_{lambda != target} (aug - lambda) / (target - lambda).
/// Exact when the eigenvalue `target` is semisimple (always so for CPTP maps
/// and GKSL generators).
template <typename T>
QCM_HD Mat<T, 4> spectral_projector(const Mat<T, 4>& aug, const Complex<T> (&lambda)[3],
                                    const bool (&is_target)[3], T target) {
  Mat<T, 4> p = Mat<T, 4>::identity();
  const Mat<T, 4> id = Mat<T, 4>::identity();
  for (int k = 0; k < 3; ++k) {
    if (is_target[k]) continue;
    if (lambda[k].im == T(0)) {
      Mat<T, 4> f;
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
          f[i][j] = (aug[i][j] - lambda[k].re * id[i][j]) / (target - lambda[k].re);
      p = f * p;
    } else if (lambda[k].im > T(0)) {  // conjugate pair: one real quadratic factor
      const T re = lambda[k].re, abs2 = norm2(lambda[k]);
      const T denom = (target - re) * (target - re) + lambda[k].im * lambda[k].im;
      const Mat<T, 4> sq = aug * aug;
      Mat<T, 4> f;
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
          f[i][j] = (sq[i][j] - T(2) * re * aug[i][j] + abs2 * id[i][j]) / denom;
      p = f * p;
    }
  }
  return p;
}

/// A steady state of an affine Bloch dynamics.
template <typename T>
struct SteadyState {
  T r[3];
  int dimension;      ///< dimension of the fixed-point space (kernel), counting the trace part
  bool oscillates;    ///< another eigenvalue on the unit circle (imaginary axis): no limit
  T slowest_modulus;  ///< collision map: largest |lambda| not counted as 1 (0 if none)
};

/// The steady state of an affine Bloch dynamics whose augmented matrix
/// [[m, c], [0, target]] has the eigenvalue `target` (1 for the collision
/// map, 0 for the generator): (m - target) r = -c when that eigenvalue is
/// simple, else the spectral projector onto it applied to (r0, 1).
template <typename T>
QCM_HD void solve_steady_state(const AffineBlochMap<T>& map, T target,
                               const Complex<T> (&lambda)[3], const bool (&is_target)[3],
                               const T (&r0)[3], SteadyState<T>& st) {
  if (st.dimension == 1) {
    T a[3][3], b[3];
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) a[i][j] = map.m[i][j] - (i == j ? target : T(0));
      b[i] = -map.c[i];
    }
    if (solve_3x3(a, b, st.r)) return;
  }
  Mat<T, 4> aug = augmented(map);
  aug[3][3] = target;
  const Mat<T, 4> p = spectral_projector(aug, lambda, is_target, target);
  for (int i = 0; i < 3; ++i)
    st.r[i] = p[i][0] * r0[0] + p[i][1] * r0[1] + p[i][2] * r0[2] + p[i][3];
}

/// Fixed point of r -> M r + c reached from r0 (docs/physics.md §4).
template <typename T>
QCM_HD SteadyState<T> collision_fixed_point(const AffineBlochMap<T>& map, const T (&r0)[3]) {
  const T tol = Tolerances<T>::unit_eigenvalue;
  Complex<T> lambda[3];
  eigenvalues_3x3(map.m, lambda);
  SteadyState<T> st;
  st.dimension = 1;
  st.oscillates = false;
  st.slowest_modulus = T(0);
  bool is_one[3];
  for (int k = 0; k < 3; ++k) {
    is_one[k] = abs(lambda[k] - Complex<T>{T(1), T(0)}) <= tol;
    const T modulus = abs(lambda[k]);
    if (is_one[k]) {
      ++st.dimension;
    } else {
      if (modulus >= T(1) - tol) st.oscillates = true;
      if (modulus > st.slowest_modulus) st.slowest_modulus = modulus;
    }
  }
  solve_steady_state(map, T(1), lambda, is_one, r0, st);
  return st;
}

/// Partial trace over the ancilla (second factor) of a 4x4 operator.
template <typename T>
QCM_HD Mat<Complex<T>, 2> trace_ancilla(const Mat<Complex<T>, 4>& x) {
  Mat<Complex<T>, 2> r;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) r[i][j] = x[2 * i][2 * j] + x[2 * i + 1][2 * j + 1];
  return r;
}

/// The GKSL limit of docs/physics.md §5 in affine form: dr/dt = G r + g, and the
/// currents Wdot, Qdot as functionals of r.
template <typename T>
struct GkslGenerator {
  AffineBlochMap<T> flow;    ///< m = G, c = g
  AffineFunctional<T> work;  ///< Wdot (paper Eq. 22)
  AffineFunctional<T> heat;  ///< Qdot (paper Eq. 23)
  bool odd_moment;           ///< Tr_A[V (1 x rho_A)] != 0: the limit does not exist
  T heat_rate_tolerance;     ///< Tolerances::heat_rate_zero: |Qdot| below it counts as 0
};

template <typename T>
QCM_HD GkslGenerator<T> make_gksl_generator(const QubitModel<T>& m) {
  GkslGenerator<T> gen;
  // Tr_A[V (1 x rho_A)] = sum_l (sum_k J_lk <sigma_k>_A) sigma_l, <sigma_z>_A = p_e - p_g.
  const Mat<Complex<T>, 2> odd = trace_ancilla(m.v * kron(pauli<T>(0), m.rho_a));
  T odd_norm = 0, v_norm = 0;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) odd_norm += norm2(odd[i][j]);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) v_norm += norm2(m.v[i][j]);
  gen.odd_moment = Tolerances<T>::odd_moment_nonzero(odd_norm, v_norm);
  gen.heat_rate_tolerance = Tolerances<T>::heat_rate_zero(std::fabs(m.omega_a), v_norm);

  const Mat<Complex<T>, 4> v2 = m.v * m.v;
  const Mat<Complex<T>, 2> k = trace_ancilla(v2 * kron(pauli<T>(0), m.rho_a));
  Mat<Complex<T>, 2> h_s = Mat<Complex<T>, 2>::zero();
  h_s[0][0].re = m.omega_s / T(2);
  h_s[1][1].re = -m.omega_s / T(2);
  const Complex<T> minus_i{T(0), T(-1)};
  // L(sigma_j) as 2x2 matrices, j = 0..3.
  Mat<Complex<T>, 2> l[4];
  for (int j = 0; j < 4; ++j) {
    const Mat<Complex<T>, 2> s = pauli<T>(j);
    const Mat<Complex<T>, 2> hs_s = h_s * s, s_hs = s * h_s, ks = k * s, sk = s * k;
    const Mat<Complex<T>, 2> dissip = trace_ancilla(m.v * kron(s, m.rho_a) * m.v);
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        l[j][a][b] =
            minus_i * (hs_s[a][b] - s_hs[a][b]) + dissip[a][b] - T(0.5) * (ks[a][b] + sk[a][b]);
  }
  for (int i = 0; i < 3; ++i) {
    const Mat<Complex<T>, 2> si = pauli<T>(i + 1);
    gen.flow.c[i] = re_trace_product(si, l[0]) / T(2);
    for (int j = 0; j < 3; ++j) gen.flow.m[i][j] = re_trace_product(si, l[j + 1]) / T(2);
  }
  // Currents: Tr[(V H V - 1/2 {V^2, H}) (rho x rho_A)] for H = H_0 (work) and 1 x H_A (heat).
  Mat<Complex<T>, 4> in[4];
  for (int j = 0; j < 4; ++j) in[j] = kron(pauli<T>(j), m.rho_a);
  const auto current_operator = [&](const Mat<Complex<T>, 4>& h) {
    const Mat<Complex<T>, 4> vhv = m.v * h * m.v, v2h = v2 * h, hv2 = h * v2;
    Mat<Complex<T>, 4> o;
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b) o[a][b] = vhv[a][b] - T(0.5) * (v2h[a][b] + hv2[a][b]);
    return o;
  };
  gen.work = expectation_functional(current_operator(m.h0), in);
  gen.heat = expectation_functional(current_operator(m.h_a), in);
  return gen;
}

/// Kernel of the generator reached from r0 (docs/physics.md §4–5).
template <typename T>
QCM_HD SteadyState<T> gksl_steady_state(const AffineBlochMap<T>& flow, const T (&r0)[3]) {
  Complex<T> lambda[3];
  eigenvalues_3x3(flow.m, lambda);
  T scale = 0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) scale = std::fmax(scale, std::fabs(flow.m[i][j]));
  const T tol = Tolerances<T>::unit_eigenvalue * (scale > T(0) ? scale : T(1));
  SteadyState<T> st;
  st.dimension = 1;
  st.oscillates = false;
  st.slowest_modulus = T(0);
  bool is_zero[3];
  for (int k = 0; k < 3; ++k) {
    is_zero[k] = abs(lambda[k]) <= tol;
    if (is_zero[k]) {
      ++st.dimension;
    } else if (std::fabs(lambda[k].re) <= tol) {
      st.oscillates = true;
    }
  }
  solve_steady_state(flow, T(0), lambda, is_zero, r0, st);
  return st;
}

}  // namespace qcm::core
