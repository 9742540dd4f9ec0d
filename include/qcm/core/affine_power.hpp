// @file core layer: n collisions in O(log n) for final-only outputs.
//
// The model is memoryless, so n collisions are the n-th power of one affine
// map. With the augmented vector x = (r, 1) and A = [[M, c], [0, 1]]:
//   x_k = A^k x_0,   sum_{k<n} x_k = (sum_{k<n} A^k) x_0,
// and both come from repeated squaring: (P_{2m}, S_{2m}) = (P_m^2, S_m + P_m S_m),
// (P_{m+1}, S_{m+1}) = (A P_m, S_m + P_m). The cumulative work and heat are
// their affine functionals applied to the summed x, and the cumulative entropy
// production telescopes to S(rho_n) - S(rho_0) + beta Q.
#pragma once

#include <cstdint>

#include "qcm/core/channel.hpp"

namespace qcm::core {

template <typename T>
QCM_HD Mat<T, 4> augmented(const AffineBlochMap<T>& map) {
  Mat<T, 4> a = Mat<T, 4>::zero();
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) a[i][j] = map.m[i][j];
    a[i][3] = map.c[i];
  }
  a[3][3] = T(1);
  return a;
}

/// What n collisions from r0 give, without stepping.
template <typename T>
struct AffineOrbit {
  T r_before_last[3];  ///< r_{n-1}
  T r_last[3];         ///< r_n
  T r_sum[3];          ///< sum_{k=0}^{n-1} r_k
};

/// Requires n >= 1.
template <typename T>
QCM_HD AffineOrbit<T> affine_orbit(const AffineBlochMap<T>& map, const T (&r0)[3], std::int64_t n) {
  const Mat<T, 4> a = augmented(map);
  Mat<T, 4> power = Mat<T, 4>::identity();  // A^m
  Mat<T, 4> sum = Mat<T, 4>::zero();        // sum_{k<m} A^k
  const std::int64_t m_target = n - 1;
  int top = 62;
  while (top >= 0 && ((m_target >> top) & 1) == 0) --top;
  for (int bit = top; bit >= 0; --bit) {
    sum = sum + power * sum;
    power = power * power;
    if ((m_target >> bit) & 1) {
      sum = sum + power;
      power = a * power;
    }
  }
  const Vec<T, 4> x0{{r0[0], r0[1], r0[2], T(1)}};
  const Vec<T, 4> x_prev = power * x0;  // x_{n-1}
  const Vec<T, 4> s_prev = sum * x0;    // sum_{k<n-1} x_k
  AffineOrbit<T> orbit;
  for (int i = 0; i < 3; ++i) {
    orbit.r_before_last[i] = x_prev[i];
    orbit.r_sum[i] = s_prev[i] + x_prev[i];
  }
  clamp_to_bloch_ball(orbit.r_before_last);
  map.apply(orbit.r_before_last, orbit.r_last);
  clamp_to_bloch_ball(orbit.r_last);
  return orbit;
}

}  // namespace qcm::core
