// @file core layer: functions of a qubit state given by its Bloch vector.
//
// rho = (1 + r.sigma)/2 with sigma_z = diag(+1, -1) and basis index 0 = excited,
// so z = p_e - p_g (PHYSICS.md §1, §4).
#pragma once

#include <cmath>
#include <limits>

#include "qcm/core/config.hpp"

namespace qcm::core {

template <typename T>
QCM_HD T bloch_length(const T (&r)[3]) {
  return std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
}

/// x ln x with 0 ln 0 = 0.
template <typename T>
QCM_HD T x_log_x(T x) {
  return x > T(0) ? x * std::log(x) : T(0);
}

/// Von Neumann entropy S = -Tr rho ln rho of a qubit with Bloch length `length`.
template <typename T>
QCM_HD T qubit_entropy_of_length(T length) {
  const T x = length < T(1) ? length : T(1);  // rounding may push a pure state past 1
  const T p = (T(1) + x) / T(2);
  const T q = (T(1) - x) / T(2);
  return -(x_log_x(p) + x_log_x(q));
}

template <typename T>
QCM_HD T qubit_entropy(const T (&r)[3]) {
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
