// @file core layer: exponential of a real matrix and its time integral, on
// caller-owned arrays (the runtime-size counterpart of qcm/core/real_expm.hpp,
// same method: scaling and squaring with the degree-16 Taylor polynomial;
// ||A / 2^s||_1 <= 1/2 makes the truncation error below 1e-19 relative).
#pragma once

#include <cmath>
#include <cstddef>

#include "qcm/core/dense_basic.hpp"

namespace qcm::core::dense {

/// Scratch of real_expm, in T elements.
QCM_HD constexpr std::size_t real_expm_scratch(int n) {
  return 2 * static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
}

/// out = exp(a) for a real n x n matrix; out must not alias a.
/// scratch: real_expm_scratch(n) elements.
template <int N = 0, typename T>
QCM_HD void real_expm(const T* a, T* out, int n, T* scratch) {
  const int dim = size_of<N>(n);
  const int nn = dim * dim;
  T norm = one_norm<N>(a, dim);
  int s = 0;
  while (norm > T(0.5) && s < 1000) {
    norm /= T(2);
    ++s;
  }
  const T scale = std::ldexp(T(1), -s);
  T* x = scratch;
  T* tmp = scratch + nn;
  for (int i = 0; i < nn; ++i) x[i] = a[i] * scale;
  // Horner: I + x (I + x/2 (I + x/3 (...)))
  set_identity<N>(out, dim);
  for (int k = 16; k >= 1; --k) {
    matmul<N>(x, out, tmp, dim);
    for (int i = 0; i < dim; ++i)
      for (int j = 0; j < dim; ++j)
        out[i * dim + j] = (i == j ? T(1) : T(0)) + tmp[i * dim + j] / T(k);
  }
  // Squaring, alternating between out and tmp; the result must end in out.
  T* cur = out;
  T* other = tmp;
  for (int k = 0; k < s; ++k) {
    matmul<N>(cur, cur, other, dim);
    T* t = cur;
    cur = other;
    other = t;
  }
  if (cur != out) copy<N>(cur, out, dim);
}

/// Scratch of expm_and_integral, in T elements.
QCM_HD constexpr std::size_t expm_and_integral_scratch(int n) {
  return 8 * static_cast<std::size_t>(n) * static_cast<std::size_t>(n) + real_expm_scratch(2 * n);
}

/// e = exp(L t) and f = int_0^t exp(L s) ds for a real n x n matrix L, from
/// one exponential of the 2n x 2n block matrix [[L, 1], [0, 0]] t (Van Loan
/// 1978): its exponential is [[e, f], [0, 1]]. e and f must not alias l.
/// scratch: expm_and_integral_scratch(n) elements.
template <int N = 0, typename T>
QCM_HD void expm_and_integral(const T* l, T t, T* e, T* f, int n, T* scratch) {
  const int dim = size_of<N>(n);
  constexpr int N2 = N > 0 ? 2 * N : 0;
  const int big = 2 * dim;
  T* block = scratch;                 // (2 dim)^2
  T* result = scratch + big * big;    // (2 dim)^2
  T* rest = scratch + 2 * big * big;  // real_expm_scratch(2 dim)
  for (int i = 0; i < big * big; ++i) block[i] = T(0);
  for (int i = 0; i < dim; ++i) {
    for (int j = 0; j < dim; ++j) block[i * big + j] = l[i * dim + j] * t;
    block[i * big + dim + i] = t;
  }
  real_expm<N2>(block, result, big, rest);
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j) {
      e[i * dim + j] = result[i * big + j];
      f[i * dim + j] = result[i * big + dim + j];
    }
}

}  // namespace qcm::core::dense
