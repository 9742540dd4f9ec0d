// @file core layer: fixed-size square matrices and vectors (host and device).
//
// One matrix type for the whole core: Mat<S, N> with S a real type or
// Complex<T>. Sizes are template parameters so everything stays in registers.
#pragma once

#include "qcm/core/complex.hpp"

namespace qcm::core {

template <typename S, int N>
struct Vec {
  S v[N];
  QCM_HD S& operator[](int i) { return v[i]; }
  QCM_HD const S& operator[](int i) const { return v[i]; }
};

template <typename S, int N>
struct Mat {
  S a[N][N];
  QCM_HD S* operator[](int i) { return a[i]; }
  QCM_HD const S* operator[](int i) const { return a[i]; }

  QCM_HD static Mat zero() {
    Mat m;
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) m.a[i][j] = S{};
    return m;
  }
  QCM_HD static Mat identity() {
    Mat m = zero();
    for (int i = 0; i < N; ++i) m.a[i][i] = one_of<S>();
    return m;
  }
};

template <typename S, int N>
QCM_HD Mat<S, N> operator*(const Mat<S, N>& x, const Mat<S, N>& y) {
  Mat<S, N> r;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      S acc{};
      for (int k = 0; k < N; ++k) acc = acc + x.a[i][k] * y.a[k][j];
      r.a[i][j] = acc;
    }
  return r;
}

template <typename S, int N>
QCM_HD Vec<S, N> operator*(const Mat<S, N>& x, const Vec<S, N>& y) {
  Vec<S, N> r;
  for (int i = 0; i < N; ++i) {
    S acc{};
    for (int k = 0; k < N; ++k) acc = acc + x.a[i][k] * y.v[k];
    r.v[i] = acc;
  }
  return r;
}

template <typename S, int N>
QCM_HD Mat<S, N> operator+(const Mat<S, N>& x, const Mat<S, N>& y) {
  Mat<S, N> r;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) r.a[i][j] = x.a[i][j] + y.a[i][j];
  return r;
}

template <typename T, int N>
QCM_HD Mat<Complex<T>, N> adjoint(const Mat<Complex<T>, N>& x) {
  Mat<Complex<T>, N> r;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) r.a[i][j] = conj(x.a[j][i]);
  return r;
}

/// Kronecker product of two 2x2 matrices; the first factor is the system.
template <typename T>
QCM_HD Mat<Complex<T>, 4> kron(const Mat<Complex<T>, 2>& s, const Mat<Complex<T>, 2>& a) {
  Mat<Complex<T>, 4> r;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k)
        for (int l = 0; l < 2; ++l) r.a[2 * i + k][2 * j + l] = s.a[i][j] * a.a[k][l];
  return r;
}

/// Re Tr[x y] for complex matrices.
template <typename T, int N>
QCM_HD T re_trace_product(const Mat<Complex<T>, N>& x, const Mat<Complex<T>, N>& y) {
  T acc = 0;
  for (int i = 0; i < N; ++i)
    for (int k = 0; k < N; ++k) acc += (x.a[i][k] * y.a[k][i]).re;
  return acc;
}

}  // namespace qcm::core
