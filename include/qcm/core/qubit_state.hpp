// @file core layer: functions of a qubit state given by its Bloch vector.
//
// rho = (1 + r.sigma)/2 with sigma_z = diag(+1, -1) and basis index 0 = excited,
// so z = p_e - p_g (docs/physics.md §1, §4).
#pragma once

#include <cmath>
#include <limits>

#include "qcm/core/branchless_log.hpp"
#include "qcm/core/config.hpp"
#include "qcm/core/lanes.hpp"

namespace qcm::core {

// bloch_length and the entropies take a scalar or a lane vector
// (qcm/core/lanes.hpp): the cpu backend computes them for several points at once.

template <typename V>
QCM_HD_INLINE V bloch_length(const V (&r)[3]) {
  return lane_sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
}

/// Von Neumann entropy S = -Tr rho ln rho of a qubit with Bloch length `length`.
template <typename V>
QCM_HD_INLINE V qubit_entropy_of_length(V length) {
  using S = LaneScalar<V>;
  const V one = splat<V>(S(1));
  const V x = lane_select(length > one, one, length);  // rounding may push a pure state past 1
  const V p = (one + x) / S(2);
  const V q = (one - x) / S(2);
  return -(x_log_x(p) + x_log_x(q));
}

template <typename V>
QCM_HD_INLINE V qubit_entropy(const V (&r)[3]) {
  return qubit_entropy_of_length(bloch_length(r));
}

/// beta_eff = ln(p_g / p_e) / omega_S (paper Eq. 28) = -2 atanh(z) / omega_S.
/// +-inf for pure populations; NaN for omega_S = 0 (the caller flags it).
template <typename T>
QCM_HD T effective_beta(T z, T omega_s) {
  const T p_e = (T(1) + z) / T(2);
  const T p_g = (T(1) - z) / T(2);
  if (omega_s == T(0)) return std::numeric_limits<T>::quiet_NaN();
  if (p_e <= T(0)) return omega_s > T(0) ? INFINITY : -INFINITY;
  if (p_g <= T(0)) return omega_s > T(0) ? -INFINITY : INFINITY;
  return std::log(p_g / p_e) / omega_s;
}

/// l1 coherence sum_{l != m} |rho_lm| = 2 |rho_eg| = sqrt(x^2 + y^2).
template <typename T>
QCM_HD T coherence_l1(const T (&r)[3]) {
  return std::sqrt(r[0] * r[0] + r[1] * r[1]);
}

/// Ergotropy (paper Eq. 30) for H_S = (omega/2) sigma_z:
/// Tr[H_S rho] - passive energy = (omega z + |omega| |r|) / 2.
template <typename T>
QCM_HD T ergotropy(const T (&r)[3], T omega_s) {
  const T e = (omega_s * r[2] + std::fabs(omega_s) * bloch_length(r)) / T(2);
  return e > T(0) ? e : T(0);  // passive states give exactly zero up to rounding
}

}  // namespace qcm::core
