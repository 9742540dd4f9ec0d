// @file core layer: exponential of a small real matrix, and its time integral.
//
// Used for the GKSL dynamics, whose affine generator L (4x4) is exponentiated
// once per point. Scaling and squaring with a degree-16 Taylor polynomial:
// ||A / 2^s|| <= 1/2 makes the truncation error below 1e-19 relative.
#pragma once

#include <cmath>

#include "qcm/core/matrix.hpp"

namespace qcm::core {

template <typename T, int N>
QCM_HD Mat<T, N> real_expm(const Mat<T, N>& a) {
  T norm = 0;  // 1-norm
  for (int j = 0; j < N; ++j) {
    T col = 0;
    for (int i = 0; i < N; ++i) col += std::fabs(a[i][j]);
    norm = col > norm ? col : norm;
  }
  int s = 0;
  while (norm > T(0.5) && s < 1000) {
    norm /= T(2);
    ++s;
  }
  const T scale = std::ldexp(T(1), -s);
  Mat<T, N> x;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) x[i][j] = a[i][j] * scale;
  // Horner: I + x (I + x/2 (I + x/3 (...)))
  Mat<T, N> r = Mat<T, N>::identity();
  for (int k = 16; k >= 1; --k) {
    Mat<T, N> xr = x * r;
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) r[i][j] = (i == j ? T(1) : T(0)) + xr[i][j] / T(k);
  }
  for (int k = 0; k < s; ++k) r = r * r;
  return r;
}

/// exp(L t) and its integral F = int_0^t exp(L s) ds, from one exponential of
/// the block matrix [[L, 1], [0, 0]] t (Van Loan 1978).
template <typename T>
QCM_HD void expm_and_integral(const Mat<T, 4>& l, T t, Mat<T, 4>& e, Mat<T, 4>& f) {
  Mat<T, 8> big = Mat<T, 8>::zero();
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) big[i][j] = l[i][j] * t;
    big[i][4 + i] = t;
  }
  const Mat<T, 8> x = real_expm(big);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      e[i][j] = x[i][j];
      f[i][j] = x[i][4 + j];
    }
}

}  // namespace qcm::core
