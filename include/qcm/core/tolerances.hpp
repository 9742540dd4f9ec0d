// @file core layer: every numeric tolerance qcm uses, in one place.
//
// The kernels (in their working precision T) and the reference engine (T =
// double) decide "is this zero?", "is this eigenvalue 1?" with the same
// functions, so that the backends agree on which values are finite, which
// fixed points are unique and which limits exist. docs/robustness.md lists
// them for users.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "qcm/core/config.hpp"

namespace qcm::core {

template <typename T>
struct Tolerances {
  static_assert(std::is_floating_point_v<T>);
  /// Machine epsilon of T (2.2e-16 in double, 1.2e-7 in float).
  static constexpr T epsilon = std::numeric_limits<T>::epsilon();

  /// An eigenvalue of a collision map within this of 1 counts as 1; one of a
  /// GKSL generator within this times the generator's largest entry of 0
  /// (docs/steady-states.md).
  static constexpr T unit_eigenvalue = std::is_same_v<T, float> ? T(2e-5) : T(1e-10);

  /// Levels of a Hamiltonian closer than this times its largest |eigenvalue|
  /// are one (degenerate) level.
  static constexpr T degenerate_level = std::is_same_v<T, float> ? T(1e-5) : T(1e-12);

  /// |Q| of one collision at or below this counts as zero (the rule for the
  /// entropy production at beta = +-inf): rounding in U rho U^dagger leaves
  /// |Q| ~ eps times the ancilla's energy spread where the exact heat is 0.
  QCM_HD static T heat_zero(T ancilla_spread) {
    return T(64) * epsilon * (ancilla_spread > T(1) ? ancilla_spread : T(1));
  }

  /// |Qdot| of the GKSL limit at or below this counts as zero: the heat
  /// current is quadratic in V, so its rounding is heat_zero times ||V||^2
  /// (the squared Frobenius norm of the unscaled coupling).
  QCM_HD static T heat_rate_zero(T ancilla_spread, T coupling_norm2) {
    return heat_zero(ancilla_spread) * (coupling_norm2 > T(1) ? coupling_norm2 : T(1));
  }

  /// Weight of rho'_A at or below this where rho_A has none (beta = +-inf)
  /// counts as zero in D(rho'_A || rho_A): the rounding level of heat_zero,
  /// since Q = omega_A Delta p for a qubit, so that the entropy production
  /// and its decomposition agree on whether they are finite.
  QCM_HD static T support_weight(T ancilla_spread) {
    return ancilla_spread > T(0) ? heat_zero(ancilla_spread) / ancilla_spread : T(64) * epsilon;
  }

  /// A rate of change below this (relative to the generator's largest entry)
  /// counts as zero: entropy produced by a pure state under a unitary flow.
  QCM_HD static T rate_zero(T generator_scale) {
    return T(64) * epsilon * (generator_scale > T(1) ? generator_scale : T(1));
  }

  /// Tr_A[V (1 x rho_A)] != 0 (no GKSL limit): its squared Frobenius norm
  /// above the rounding of V's entries, ||.||_F > 100 eps sqrt(||V||_F^2 + 1).
  QCM_HD static bool odd_moment_nonzero(T odd_norm2, T coupling_norm2) {
    return odd_norm2 > T(1e4) * epsilon * epsilon * (coupling_norm2 + T(1));
  }

  /// Two operators commute (e.g. [rho_A, H_A] = 0, the condition of the
  /// GKSL currents) when the Frobenius norm of their commutator is below this
  /// relative to the scale of their entries.
  QCM_HD static bool commute(T commutator_norm, T scale) {
    return commutator_norm <= T(1e4) * epsilon * (scale > T(1) ? scale : T(1));
  }

  /// `qcm validate`: a tested value a agrees with b when |a - b| <= atol + rtol |b|.
  static constexpr double validation_atol = std::is_same_v<T, float> ? 2e-3 : 1e-8;
  static constexpr double validation_rtol = std::is_same_v<T, float> ? 2e-3 : 1e-6;
};

/// Input states (Bloch vectors; later density matrices) may miss unit length
/// or trace by this much and are rescaled; beyond it they are refused.
inline constexpr double kStateInputSlack = 1e-12;

/// `qcm validate` skips beta_eff where 1 - |z| (the distance of the
/// populations from a pure one) is below this: there even the sign of the
/// tiny population is rounding (docs/validation.md).
inline constexpr double kBetaEffPurePopulationGap = 1e-12;

}  // namespace qcm::core
