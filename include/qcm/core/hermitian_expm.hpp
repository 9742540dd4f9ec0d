// @file core layer: eigen-decomposition and exponential of small Hermitian matrices.
//
// Method: cyclic complex Jacobi rotations, then U = V diag(e^{-i dt w}) V^dagger.
// Why Jacobi and not scaling-and-squaring: V is a product of exact plane
// rotations, so U is unitary to rounding whatever ||dt H|| is (|J| up to 10^3
// with dt = 0.05 gives ||dt H|| ~ 10^3, where squaring loses unitarity), the
// eigenvalues come with high relative accuracy, and the loop has no data-
// dependent memory, which suits one GPU thread per point.
#pragma once

#include <cmath>

#include "qcm/core/matrix.hpp"
#include "qcm/core/tolerances.hpp"

namespace qcm::core {

/// Eigen-decomposition a = v diag(w) v^dagger of a Hermitian matrix (a is taken by value).
/// Eigenvalues are not sorted.
template <typename T, int N>
QCM_HD void hermitian_eigen(Mat<Complex<T>, N> a, T (&w)[N], Mat<Complex<T>, N>& v) {
  v = Mat<Complex<T>, N>::identity();
  const T eps = Tolerances<T>::epsilon;
  for (int sweep = 0; sweep < 32; ++sweep) {
    T off = 0, diag = 0;
    for (int p = 0; p < N; ++p) {
      diag += a[p][p].re * a[p][p].re;
      for (int q = p + 1; q < N; ++q) off += norm2(a[p][q]);
    }
    // Converged when the off-diagonal mass is below rounding of the whole matrix.
    if (off <= eps * eps * (diag + off) * T(1e-2) || off == T(0)) break;
    for (int p = 0; p < N - 1; ++p) {
      for (int q = p + 1; q < N; ++q) {
        // |a_pq| and its phase, scaled first so that tiny entries (denormal
        // squares in float) still give a phase of modulus one.
        const T big = std::fmax(std::fabs(a[p][q].re), std::fabs(a[p][q].im));
        if (big == T(0)) continue;
        const Complex<T> scaled = (T(1) / big) * a[p][q];
        const T scaled_abs = abs(scaled);
        const T apq = big * scaled_abs;
        // a[p][q] = |a_pq| e^{i phi}; G = diag(1, e^{-i phi}) R(theta) zeroes it.
        const Complex<T> phase = (T(1) / scaled_abs) * scaled;
        const Complex<T> phase_c = conj(phase);
        const T theta = (a[q][q].re - a[p][p].re) / (T(2) * apq);
        // t = sign(theta) / (|theta| + sqrt(theta^2 + 1)), without overflowing theta^2.
        const T t = std::fabs(theta) > T(1e15)
                        ? T(0.5) / theta
                        : (theta >= T(0) ? T(1) : T(-1)) /
                              (std::fabs(theta) + std::sqrt(theta * theta + T(1)));
        const T c = T(1) / std::sqrt(t * t + T(1));
        const T s = t * c;
        // Columns: A <- A G with G[p][p] = c, G[p][q] = s, G[q][p] = -s e^{-i phi}, G[q][q] = c
        // e^{-i phi}.
        for (int k = 0; k < N; ++k) {
          const Complex<T> akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * (akq * phase_c);
          a[k][q] = s * akp + c * (akq * phase_c);
          const Complex<T> vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * (vkq * phase_c);
          v[k][q] = s * vkp + c * (vkq * phase_c);
        }
        // Rows: A <- G^dagger A.
        for (int k = 0; k < N; ++k) {
          const Complex<T> apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * (phase * aqk);
          a[q][k] = s * apk + c * (phase * aqk);
        }
        a[p][q] = Complex<T>{};
        a[q][p] = Complex<T>{};
        a[p][p].im = T(0);
        a[q][q].im = T(0);
      }
    }
  }
  for (int i = 0; i < N; ++i) w[i] = a[i][i].re;
}

/// U = exp(-i dt H) for Hermitian H.
template <typename T, int N>
QCM_HD Mat<Complex<T>, N> unitary_propagator(const Mat<Complex<T>, N>& h, T dt) {
  T w[N];
  Mat<Complex<T>, N> v;
  hermitian_eigen(h, w, v);
  Mat<Complex<T>, N> u;
  Complex<T> phases[N];
  for (int k = 0; k < N; ++k) phases[k] = expi(-dt * w[k]);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      Complex<T> acc{};
      for (int k = 0; k < N; ++k) acc = acc + v[i][k] * (phases[k] * conj(v[j][k]));
      u[i][j] = acc;
    }
  return u;
}

}  // namespace qcm::core
