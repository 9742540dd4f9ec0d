// @file core layer: the qubit collision channel, derived once per point.
//
// Reformulation (docs/architecture.md, "Fast path"): the collision map is the same CPTP
// map at every collision, and every per-collision quantity of docs/physics.md §3 is
// an expectation value in rho'_tot = U (rho_k x rho_A) U^dagger, hence affine in
// the Bloch vector r_k:
//   <O>' = 1/2 Tr[O X_0] + 1/2 sum_j r_j Tr[O X_j],  X_j = U (sigma_j x rho_A) U^dagger
// (sigma_0 = 1). So per point we build U once, derive the affine Bloch map
// r' = M r + c and the work / heat functionals once, and each collision is a
// 3x3 matrix-vector product, two dot products and one entropy.
#pragma once

#include <cmath>
#include <cstdint>

#include "qcm/core/hermitian_expm.hpp"
#include "qcm/core/point.hpp"
#include "qcm/core/qubit_state.hpp"

namespace qcm::core {

// AffineFunctional and AffineBlochMap hold scalars, or lane vectors of several
// points' coefficients (qcm/core/lanes.hpp, lanes_of in the kernels).

/// f(r) = c0 + c . r
template <typename T>
struct AffineFunctional {
  T c0;
  T c[3];
  QCM_HD_INLINE T operator()(const T (&r)[3]) const {
    return c0 + c[0] * r[0] + c[1] * r[1] + c[2] * r[2];
  }
};

/// Project onto the Bloch ball |r| <= 1. The map is computed to rounding, so a
/// near-unitary map lets |r| creep above 1 (by ~n eps after n collisions: 2% in
/// float after 10^6), which is no longer a state (negative eigenvalue).
template <typename V>
QCM_HD_INLINE void clamp_to_bloch_ball(V (&r)[3]) {
  using S = LaneScalar<V>;
  const V n2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
  if constexpr (LaneTraits<V>::kLanes == 1) {
    if (n2 > S(1)) {
      const V inv = S(1) / std::sqrt(n2);
      for (int i = 0; i < 3; ++i) r[i] *= inv;
    }
  } else {
    // Lanes inside the ball are multiplied by exactly 1.
    const V one = splat<V>(S(1));
    const V inv = lane_select(n2 > one, one / lane_sqrt(n2), one);
    for (int i = 0; i < 3; ++i) r[i] *= inv;
  }
}

/// r' = m r + c
template <typename T>
struct AffineBlochMap {
  T m[3][3];
  T c[3];
  QCM_HD_INLINE void apply(const T (&r)[3], T (&out)[3]) const {
    for (int i = 0; i < 3; ++i) out[i] = c[i] + m[i][0] * r[0] + m[i][1] * r[1] + m[i][2] * r[2];
  }
};

/// Pauli matrix l = 0 (identity), 1 (x), 2 (y), 3 (z), sigma_z = diag(+1, -1).
template <typename T>
QCM_HD Mat<Complex<T>, 2> pauli(int l) {
  Mat<Complex<T>, 2> s = Mat<Complex<T>, 2>::zero();
  switch (l) {
    case 0:
      s[0][0].re = 1;
      s[1][1].re = 1;
      break;
    case 1:
      s[0][1].re = 1;
      s[1][0].re = 1;
      break;
    case 2:
      s[0][1].im = -1;
      s[1][0].im = 1;
      break;
    default:
      s[0][0].re = 1;
      s[1][1].re = -1;
      break;
  }
  return s;
}

/// Gibbs populations of H = (omega/2) sigma_z at inverse temperature beta in [-inf, inf].
/// Written with tanh so that nothing overflows (docs/physics.md §1, paper Eq. 25).
template <typename T>
QCM_HD void gibbs_populations(T beta, T omega, T& p_e, T& p_g) {
  if (omega == T(0) || beta == T(0)) {
    p_e = p_g = T(0.5);
    return;
  }
  const T th =
      std::isinf(beta) ? (beta * omega > T(0) ? T(1) : T(-1)) : std::tanh(beta * omega / T(2));
  p_e = (T(1) - th) / T(2);
  p_g = (T(1) + th) / T(2);
}

/// ln p_e, ln p_g of the same Gibbs state without forming the populations, which
/// underflow once |beta omega| > ~37 (double; ~17 in float) although their logarithms
/// are finite: ln p_e = -softplus(beta omega), ln p_g = -softplus(-beta omega).
template <typename T>
QCM_HD void gibbs_log_populations(T beta, T omega, T& log_p_e, T& log_p_g) {
  if (omega == T(0) || beta == T(0)) {
    log_p_e = log_p_g = -std::log(T(2));
    return;
  }
  const T x = beta * omega;
  if (std::isinf(x)) {
    log_p_e = x > T(0) ? T(-INFINITY) : T(0);
    log_p_g = x > T(0) ? T(0) : T(-INFINITY);
    return;
  }
  const T soft = std::log1p(std::exp(-std::fabs(x)));  // softplus(|x|) - |x|
  log_p_e = -((x > T(0) ? x : T(0)) + soft);
  log_p_g = -((x < T(0) ? -x : T(0)) + soft);
}

/// The Hamiltonian pieces of one point, in the working precision.
template <typename T>
struct QubitModel {
  Mat<Complex<T>, 4> h0;     ///< H_S x 1 + 1 x H_A
  Mat<Complex<T>, 4> h_a;    ///< 1 x H_A
  Mat<Complex<T>, 4> v;      ///< V = sum J_lm sigma_l x sigma_m (unscaled)
  T coupling_scale;          ///< H_SA = coupling_scale * V
  Mat<Complex<T>, 2> rho_a;  ///< ancilla Gibbs state (diagonal)
  T p_e, p_g;
  T omega_s, omega_a, beta, dt;
};

template <typename T>
QCM_HD QubitModel<T> make_qubit_model(const PointParams& p) {
  QubitModel<T> m;
  m.omega_s = T(p.omega_s);
  m.omega_a = T(p.omega_a);
  m.beta = T(p.beta);
  m.dt = T(p.dt);
  const Mat<Complex<T>, 2> id = pauli<T>(0);
  Mat<Complex<T>, 2> h_s = Mat<Complex<T>, 2>::zero(), h_a = Mat<Complex<T>, 2>::zero();
  h_s[0][0].re = m.omega_s / T(2);
  h_s[1][1].re = -m.omega_s / T(2);
  h_a[0][0].re = m.omega_a / T(2);
  h_a[1][1].re = -m.omega_a / T(2);
  m.h_a = kron(id, h_a);
  m.h0 = kron(h_s, id) + m.h_a;
  m.v = Mat<Complex<T>, 4>::zero();
  for (int l = 0; l < 3; ++l)
    for (int k = 0; k < 3; ++k)
      if (p.coupling[l][k] != 0.0) {
        const Mat<Complex<T>, 4> term = kron(pauli<T>(l + 1), pauli<T>(k + 1));
        const T j = T(p.coupling[l][k]);
        for (int a = 0; a < 4; ++a)
          for (int b = 0; b < 4; ++b) m.v[a][b] = m.v[a][b] + j * term[a][b];
      }
  m.coupling_scale = p.scaling == Scaling::ultrastrong ? T(1) / std::sqrt(m.dt) : T(1);
  gibbs_populations(m.beta, m.omega_a, m.p_e, m.p_g);
  m.rho_a = Mat<Complex<T>, 2>::zero();
  m.rho_a[0][0].re = m.p_e;
  m.rho_a[1][1].re = m.p_g;
  return m;
}

/// Expectation functional r -> <O> in a state 1/2 sum_j x_j Y_j with x = (1, r):
/// c0 = 1/2 Tr[O Y_0], c_j = 1/2 Tr[O Y_j].
template <typename T>
QCM_HD AffineFunctional<T> expectation_functional(const Mat<Complex<T>, 4>& o,
                                                  const Mat<Complex<T>, 4> (&y)[4]) {
  AffineFunctional<T> f;
  f.c0 = re_trace_product(o, y[0]) / T(2);
  for (int j = 0; j < 3; ++j) f.c[j] = re_trace_product(o, y[j + 1]) / T(2);
  return f;
}

/// Everything one collision needs, derived once per point.
template <typename T>
struct CollisionChannel {
  AffineBlochMap<T> system;   ///< r_{k+1} as a function of r_k
  AffineBlochMap<T> ancilla;  ///< Bloch vector of rho'_A = Tr_S rho'_tot as a function of r_k
  AffineFunctional<T> work;   ///< W_k = -(Tr[H_SA rho'_tot] - Tr[H_SA rho_tot])
  AffineFunctional<T> heat;   ///< Q_k = Tr[(1 x H_A)(rho'_tot - rho_tot)]
  T omega_s, beta, dt;
  T ancilla_entropy;           ///< S(rho_A)
  T log_p_e, log_p_g;          ///< ln of the ancilla populations (-inf where empty)
  T heat_zero_tolerance;       ///< Tolerances::heat_zero of the ancilla
  T support_weight_tolerance;  ///< Tolerances::support_weight of the ancilla
};

template <typename T>
QCM_HD CollisionChannel<T> make_collision_channel(const QubitModel<T>& m) {
  const Mat<Complex<T>, 4> h_sa = [&] {
    Mat<Complex<T>, 4> h;
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b) h[a][b] = m.coupling_scale * m.v[a][b];
    return h;
  }();
  const Mat<Complex<T>, 4> u = unitary_propagator(m.h0 + h_sa, m.dt);
  const Mat<Complex<T>, 4> u_dag = adjoint(u);
  Mat<Complex<T>, 4> x[4];   // X_j = U (sigma_j x rho_A) U^dagger
  Mat<Complex<T>, 4> in[4];  // sigma_j x rho_A, for the "before" expectation values
  for (int j = 0; j < 4; ++j) {
    in[j] = kron(pauli<T>(j), m.rho_a);
    x[j] = u * in[j] * u_dag;
  }
  const Mat<Complex<T>, 2> id = pauli<T>(0);
  CollisionChannel<T> ch;
  for (int i = 0; i < 3; ++i) {
    const AffineFunctional<T> s = expectation_functional(kron(pauli<T>(i + 1), id), x);
    const AffineFunctional<T> a = expectation_functional(kron(id, pauli<T>(i + 1)), x);
    ch.system.c[i] = s.c0;
    ch.ancilla.c[i] = a.c0;
    for (int j = 0; j < 3; ++j) {
      ch.system.m[i][j] = s.c[j];
      ch.ancilla.m[i][j] = a.c[j];
    }
  }
  const AffineFunctional<T> heat_after = expectation_functional(m.h_a, x);
  const AffineFunctional<T> heat_before = expectation_functional(m.h_a, in);
  const AffineFunctional<T> h_sa_after = expectation_functional(h_sa, x);
  const AffineFunctional<T> h_sa_before = expectation_functional(h_sa, in);
  ch.heat.c0 = heat_after.c0 - heat_before.c0;
  ch.work.c0 = -(h_sa_after.c0 - h_sa_before.c0);
  for (int j = 0; j < 3; ++j) {
    ch.heat.c[j] = heat_after.c[j] - heat_before.c[j];
    ch.work.c[j] = -(h_sa_after.c[j] - h_sa_before.c[j]);
  }
  ch.omega_s = m.omega_s;
  ch.beta = m.beta;
  ch.dt = m.dt;
  ch.ancilla_entropy = -(x_log_x(m.p_e) + x_log_x(m.p_g));
  gibbs_log_populations(m.beta, m.omega_a, ch.log_p_e, ch.log_p_g);
  ch.heat_zero_tolerance = Tolerances<T>::heat_zero(std::fabs(m.omega_a));
  ch.support_weight_tolerance = Tolerances<T>::support_weight(std::fabs(m.omega_a));
  return ch;
}

/// Entropy production Delta S + beta Q (or a rate: dS/dt + beta Qdot), with the
/// rule of docs/physics.md §3 at beta = +-inf: +inf when the heat is not zero
/// (`heat_nonzero`, decided by the caller above rounding), else Delta S.
/// The one place that rule lives.
/// Scalars or lane vectors (qcm/core/lanes.hpp); `heat_nonzero` is then a lane mask.
template <typename V, typename Mask>
QCM_HD_INLINE V entropy_production_rule(V beta, V delta_entropy, V heat, Mask heat_nonzero) {
  // Both values are computed, so that the choice is a select rather than a
  // branch (the finite one is NaN or inf at beta = +-inf).
  const V finite_beta = delta_entropy + beta * heat;
  const V infinite_beta =
      lane_select(heat_nonzero, splat<V>(LaneScalar<V>(INFINITY)), delta_entropy);
  return lane_select(lane_isinf(beta), infinite_beta, finite_beta);
}

/// Sigma_k = Delta S_k + beta Q_k of one collision (docs/physics.md §3).
template <typename T>
QCM_HD T entropy_production(const CollisionChannel<T>& ch, T delta_entropy, T heat) {
  return entropy_production_rule(ch.beta, delta_entropy, heat,
                                 std::fabs(heat) > ch.heat_zero_tolerance);
}

/// One collision's thermodynamics (docs/physics.md §3).
template <typename T>
struct CollisionRecord {
  T work, heat, delta_entropy, entropy_production;
};

/// Advance r (with its entropy s) by one collision, returning that collision's record.
template <typename T>
QCM_HD CollisionRecord<T> collide(const CollisionChannel<T>& ch, T (&r)[3], T& s) {
  CollisionRecord<T> rec;
  rec.work = ch.work(r);
  rec.heat = ch.heat(r);
  T next[3];
  ch.system.apply(r, next);
  clamp_to_bloch_ball(next);
  const T s_next = qubit_entropy(next);
  rec.delta_entropy = s_next - s;
  rec.entropy_production = entropy_production(ch, rec.delta_entropy, rec.heat);
  for (int i = 0; i < 3; ++i) r[i] = next[i];
  s = s_next;
  return rec;
}

/// What D(rho'_A || rho_A) needs of the ancilla's Gibbs state: a channel's
/// constants, as lane vectors of several channels' (qcm/core/lanes.hpp) in
/// the kernels.
template <typename V>
struct AncillaReference {
  V entropy;                   ///< S(rho_A)
  V log_p_e, log_p_g;          ///< -inf where rho_A has no weight (beta = +-inf)
  V support_weight_tolerance;  ///< CollisionChannel::support_weight_tolerance
};

/// The two terms of Sigma_k = I(S:A)'_k + D(rho'_A || rho_A) (docs/physics.md §3,
/// identity 2) of a collision from a system state of entropy s to one of
/// entropy s_next, with `ancilla_after` the ancilla's Bloch vector after it
/// (CollisionChannel::ancilla applied to the state before; clamped here).
/// Scalars or lane vectors, without branches.
template <typename V>
QCM_HD_INLINE void entropy_production_terms(V (&ancilla_after)[3], V s, V s_next,
                                            const AncillaReference<V>& ancilla,
                                            V& mutual_information, V& relative_entropy) {
  using S = LaneScalar<V>;
  clamp_to_bloch_ball(ancilla_after);
  const V s_a_next = qubit_entropy(ancilla_after);
  // S(rho'_tot) = S(rho_k) + S(rho_A): U is unitary.
  mutual_information = s_next + s_a_next - s - ancilla.entropy;
  const V one = splat<V>(S(1)), zero = splat<V>(S(0));
  const V p_e = (one + ancilla_after[2]) / S(2), p_g = (one - ancilla_after[2]) / S(2);
  // -Tr rho'_A ln rho_A, with 0 ln 0 = 0 and +inf for weight (above rounding)
  // where rho_A has none.
  const auto cross_term = [&](V p, V log_p) {
    const V outside_support =
        lane_select(p > ancilla.support_weight_tolerance, splat<V>(S(INFINITY)), zero);
    const V inside_support = lane_select(p > zero, -p * log_p, zero);
    return lane_select(lane_isinf(log_p), outside_support, inside_support);
  };
  relative_entropy =
      -s_a_next + cross_term(p_e, ancilla.log_p_e) + cross_term(p_g, ancilla.log_p_g);
}

}  // namespace qcm::core
