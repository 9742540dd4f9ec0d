// @file core layer: dense linear algebra on caller-owned arrays, the basics
// (size rule, small complex helpers, products, norms, sorting).
//
// Conventions of every qcm::core::dense routine (see qcm/core/dense.hpp):
//  - matrices are contiguous row-major n x n arrays (leading dimension n):
//    element (i, j) of `a` is a[i * n + j]; complex ones are Complex<T>*;
//  - `template <int N = 0, typename T>`: N > 0 fixes the size at compile time
//    (the runtime n must then equal N), so that the loops of small fixed sizes
//    unroll; N = 0 uses the runtime n. Each routine is written once against
//    `const int dim = size_of<N>(n)`;
//  - no allocation, no exceptions: scratch space comes from the caller, sized
//    by the routine's NAME_scratch(n), in elements of the scratch pointer's type;
//  - outputs never alias inputs unless a routine says so.
#pragma once

#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "qcm/core/complex.hpp"
#include "qcm/core/config.hpp"

namespace qcm::core::dense {

/// The size a routine works with: N when it is fixed at compile time, else n.
template <int N>
QCM_HD_INLINE constexpr int size_of(int n) {
  static_assert(N >= 0, "N is a matrix size, or 0 for a runtime size");
  assert(N == 0 || n == N);
  return N > 0 ? N : n;
}

/// Constants of T that device code may read (compile-time values).
template <typename T>
struct Limits {
  static_assert(std::is_floating_point_v<T>);
  static constexpr T epsilon = std::numeric_limits<T>::epsilon();
  static constexpr T min_normal = std::numeric_limits<T>::min();
  static constexpr T max_finite = std::numeric_limits<T>::max();
};

// ---- scalar helpers: the same spelling for T and Complex<T> -------------------

template <typename T>
QCM_HD_INLINE T abs2(T x) {
  return x * x;
}
template <typename T>
QCM_HD_INLINE T abs2(Complex<T> x) {
  return x.re * x.re + x.im * x.im;
}
/// conj(a) * b
template <typename T>
QCM_HD_INLINE Complex<T> conj_mul(Complex<T> a, Complex<T> b) {
  return {a.re * b.re + a.im * b.im, a.re * b.im - a.im * b.re};
}
template <typename S>
QCM_HD_INLINE S zero_of() {
  return S{};
}
template <typename S>
QCM_HD_INLINE S conj_of(S x) {
  if constexpr (requires { x.im; }) {
    return {x.re, -x.im};
  } else {
    return x;
  }
}
template <typename T>
QCM_HD_INLINE void swap_values(T& a, T& b) {
  const T t = a;
  a = b;
  b = t;
}

// ---- whole matrices ----------------------------------------------------------

/// out = x (n x n).
template <int N = 0, typename S>
QCM_HD void copy(const S* x, S* out, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim * dim; ++i) out[i] = x[i];
}

/// a = 1 (n x n).
template <int N = 0, typename S>
QCM_HD void set_identity(S* a, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j) a[i * dim + j] = i == j ? one_of<S>() : zero_of<S>();
}

/// out = x^T (no conjugation); out must not alias x.
template <int N = 0, typename S>
QCM_HD void transpose(const S* x, S* out, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j) out[j * dim + i] = x[i * dim + j];
}

/// out = x^dagger; out must not alias x.
template <int N = 0, typename T>
QCM_HD void adjoint(const Complex<T>* x, Complex<T>* out, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j) out[j * dim + i] = conj(x[i * dim + j]);
}

/// out = x y (real or complex); out must alias neither x nor y.
template <int N = 0, typename S>
QCM_HD void matmul(const S* x, const S* y, S* out, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j) {
      S acc{};
      for (int k = 0; k < dim; ++k) acc = acc + x[i * dim + k] * y[k * dim + j];
      out[i * dim + j] = acc;
    }
}

/// out = x v (real or complex); out must not alias v.
template <int N = 0, typename S>
QCM_HD void matvec(const S* x, const S* v, S* out, int n) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i) {
    S acc{};
    for (int k = 0; k < dim; ++k) acc = acc + x[i * dim + k] * v[k];
    out[i] = acc;
  }
}

/// out = x v for x of m rows and n columns, given as xt = x^T: n rows of m
/// entries each, `stride` apart (stride >= m); out must alias neither xt nor v. Entry i of out is
/// sum_k xt[k][i] v[k], summed in the order k = 0, 1, ... (the order of a dot product).
template <int N, int M, typename S>
QCM_HD void matvec_transposed(const S* __restrict__ xt, const S* __restrict__ v,
                              S* __restrict__ out, int n, int m, int stride) {
  const int columns = size_of<N>(n);
  const int rows = size_of<M>(m);
#if !defined(__CUDA_ARCH__)
  if constexpr (M > 0 && std::is_floating_point_v<S>) {
    // Register blocks of rows: each block's accumulators stay in registers
    // for all n columns, where updating out[0 .. m) once per column loads and
    // stores every entry n times (the d_S = 8 map has 67 rows: 17 AVX
    // vectors, more than the 16 registers). The same sums in the same order.
    constexpr int kBlock = 16;
    const auto block = [&]<int B>(int first) {
      S acc[B] = {};
      for (int k = 0; k < columns; ++k) {
        const S vk = v[k];
        const S* __restrict__ column = xt + static_cast<std::ptrdiff_t>(k) * stride + first;
#if !defined(__CUDACC__)  // nvcc's front end does not know this pragma
#pragma GCC unroll 16
#endif
        for (int i = 0; i < B; ++i) acc[i] = acc[i] + column[i] * vk;
      }
#if !defined(__CUDACC__)  // nvcc's front end does not know this pragma
#pragma GCC unroll 16
#endif
      for (int i = 0; i < B; ++i) out[first + i] = acc[i];
    };
    int first = 0;
    for (; first + kBlock <= rows; first += kBlock) block.template operator()<kBlock>(first);
    if constexpr (M % kBlock != 0) block.template operator()<M % kBlock>(first);
    return;
  }
#endif
  for (int i = 0; i < rows; ++i) out[i] = S{};
  for (int k = 0; k < columns; ++k) {
    const S vk = v[k];
    const S* __restrict__ column = xt + static_cast<std::ptrdiff_t>(k) * stride;
    for (int i = 0; i < rows; ++i) out[i] = out[i] + column[i] * vk;
  }
}

/// out = x v from xt = x^T, x square (real or complex); out must alias neither xt nor v. The same
/// sums as matvec (each entry's terms in the same order), but column by
/// column: the n accumulators are independent and contiguous (SIMD, no
/// dependency chain), where matvec's dot products wait on one addition after
/// another. For the map applied at every collision.
template <int N = 0, typename S>
QCM_HD void matvec_transposed(const S* __restrict__ xt, const S* __restrict__ v,
                              S* __restrict__ out, int n) {
  matvec_transposed<N, N>(xt, v, out, n, n, n);
}

/// sum_ij |x_ij|^2 (real or complex).
template <int N = 0, typename S>
QCM_HD auto frobenius_norm2(const S* x, int n) {
  const int dim = size_of<N>(n);
  decltype(abs2(x[0])) acc = 0;
  for (int i = 0; i < dim * dim; ++i) acc += abs2(x[i]);
  return acc;
}

/// max_j sum_i |x_ij| of a real matrix.
template <int N = 0, typename T>
QCM_HD T one_norm(const T* x, int n) {
  const int dim = size_of<N>(n);
  T norm = 0;
  for (int j = 0; j < dim; ++j) {
    T col = 0;
    for (int i = 0; i < dim; ++i) col += std::fabs(x[i * dim + j]);
    norm = col > norm ? col : norm;
  }
  return norm;
}

// ---- sorting -------------------------------------------------------------------

/// Sorts w[0..n) ascending, stably (insertion sort: n is small, and the
/// eigenvalues of a Jacobi sweep come out nearly sorted anyway). When `order`
/// is not null it receives the permutation: order[i] is the original index of
/// the value now at position i. NaNs compare false and stay where they are
/// relative to the values before them.
template <int N = 0, typename T>
QCM_HD void sort_ascending(T* w, int n, int* order) {
  const int dim = size_of<N>(n);
  if (order)
    for (int i = 0; i < dim; ++i) order[i] = i;
  for (int i = 1; i < dim; ++i) {
    const T x = w[i];
    const int ox = order ? order[i] : 0;
    int j = i;
    for (; j > 0 && x < w[j - 1]; --j) {
      w[j] = w[j - 1];
      if (order) order[j] = order[j - 1];
    }
    w[j] = x;
    if (order) order[j] = ox;
  }
}

QCM_HD constexpr std::size_t permute_columns_scratch(int n) {
  return static_cast<std::size_t>(n);
}

/// Reorders the columns of v (n x n) by a permutation from sort_ascending:
/// column i of the result is column order[i] of v, so eigenvectors follow
/// their sorted eigenvalues. scratch: permute_columns_scratch(n) elements of S.
template <int N = 0, typename S>
QCM_HD void permute_columns(S* v, const int* order, int n, S* scratch) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i) {
    S* row = v + i * dim;
    for (int k = 0; k < dim; ++k) scratch[k] = row[k];
    for (int k = 0; k < dim; ++k) row[k] = scratch[order[k]];
  }
}

}  // namespace qcm::core::dense
