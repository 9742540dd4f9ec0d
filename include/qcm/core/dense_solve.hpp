// @file core layer: linear solves on caller-owned arrays: LU with partial
// pivoting, and the projector onto the kernel of a matrix along its range
// (the fixed points of a collision map with a degenerate eigenvalue 1, the
// kernel of a GKSL generator).
#pragma once

#include <cmath>
#include <cstddef>

#include "qcm/core/dense_basic.hpp"

namespace qcm::core::dense {

/// Solves a x = b in place (b becomes x) by Gaussian elimination with partial
/// pivoting. a (n x n) is overwritten by its LU factors (unit L below the
/// diagonal, U on and above it, rows interchanged); pivots, when not null
/// (n ints), gets the row interchanged with row k at step k, so that
/// lu_substitute can solve for further right-hand sides. False, with a and b
/// partly overwritten, if a pivot is exactly zero (or NaN): a is singular.
template <int N = 0, typename T>
QCM_HD bool lu_solve(T* a, T* b, int n, int* pivots) {
  const int dim = size_of<N>(n);
  for (int col = 0; col < dim; ++col) {
    int piv = col;
    T big = std::fabs(a[col * dim + col]);
    for (int r = col + 1; r < dim; ++r) {
      const T x = std::fabs(a[r * dim + col]);
      if (x > big) {
        big = x;
        piv = r;
      }
    }
    if (pivots) pivots[col] = piv;
    if (!(big > T(0))) return false;
    if (piv != col) {
      for (int k = 0; k < dim; ++k) swap_values(a[col * dim + k], a[piv * dim + k]);
      swap_values(b[col], b[piv]);
    }
    const T inv = T(1) / a[col * dim + col];
    for (int r = col + 1; r < dim; ++r) {
      const T f = a[r * dim + col] * inv;
      a[r * dim + col] = f;
      for (int k = col + 1; k < dim; ++k) a[r * dim + k] -= f * a[col * dim + k];
      b[r] -= f * b[col];
    }
  }
  for (int r = dim - 1; r >= 0; --r) {
    T acc = b[r];
    for (int k = r + 1; k < dim; ++k) acc -= a[r * dim + k] * b[k];
    b[r] = acc / a[r * dim + r];
  }
  return true;
}

/// Solves a x = b in place for another right-hand side, from the factors and
/// pivots left by a successful lu_solve.
template <int N = 0, typename T>
QCM_HD void lu_substitute(const T* lu, const int* pivots, T* b, int n) {
  const int dim = size_of<N>(n);
  // lu_solve swaps whole rows, L's multipliers included (P a = L U): all the
  // interchanges first, then the unit lower triangle.
  for (int col = 0; col < dim; ++col)
    if (pivots[col] != col) swap_values(b[col], b[pivots[col]]);
  for (int col = 0; col < dim; ++col)
    for (int r = col + 1; r < dim; ++r) b[r] -= lu[r * dim + col] * b[col];
  for (int r = dim - 1; r >= 0; --r) {
    T acc = b[r];
    for (int k = r + 1; k < dim; ++k) acc -= lu[r * dim + k] * b[k];
    b[r] = acc / lu[r * dim + r];
  }
}

namespace detail {

/// `steps` steps of Householder QR with column pivoting of the n x n matrix
/// whose column j is the contiguous c[j n .. j n + n) (column-major, so that
/// the column operations run along contiguous memory). After it, for k <
/// steps, c[k n + k .. k n + n) holds v_k and beta[k] its coefficient, with
/// H_k = 1 - beta_k v_k v_k^T acting on rows k..n-1, so that
/// A P = H_0 ... H_{steps-1} [R; rest]. Column norms are recomputed at each
/// step rather than downdated: O(n^3 / 3) more work, no cancellation.
/// False if the pivot column is exactly zero (rank < steps).
template <int N, typename T>
QCM_HD bool pivoted_householder_qr(T* c, int n, int steps, T* beta) {
  const int dim = size_of<N>(n);
  for (int k = 0; k < steps; ++k) {
    int pj = k;
    T best = -1;
    for (int j = k; j < dim; ++j) {
      T norm2 = 0;
      for (int i = k; i < dim; ++i) norm2 += c[j * dim + i] * c[j * dim + i];
      if (norm2 > best) {
        best = norm2;
        pj = j;
      }
    }
    if (pj != k)
      for (int i = k; i < dim; ++i) swap_values(c[k * dim + i], c[pj * dim + i]);
    T* x = c + k * dim;
    T scale = 0;
    for (int i = k; i < dim; ++i) scale = std::fmax(scale, std::fabs(x[i]));
    if (!(scale > T(0))) return false;
    const T sinv = T(1) / scale;
    T sigma = 0;
    for (int i = k; i < dim; ++i) {
      x[i] *= sinv;
      if (i > k) sigma += x[i] * x[i];
    }
    const T x0 = x[k];
    const T norm = std::sqrt(x0 * x0 + sigma);
    const T alpha = x0 >= T(0) ? -norm : norm;  // opposite sign to x0: no cancellation in v0
    x[k] = x0 - alpha;
    beta[k] = T(1) / (norm * (norm + std::fabs(x0)));  // 2 / (v^T v)
    for (int j = k + 1; j < dim; ++j) {
      T* y = c + j * dim;
      T dot = 0;
      for (int i = k; i < dim; ++i) dot += x[i] * y[i];
      dot *= beta[k];
      for (int i = k; i < dim; ++i) y[i] -= dot * x[i];
    }
  }
  return true;
}

/// q = H_0 ... H_{steps-1} e_col: column `col` of the orthogonal factor.
template <int N, typename T>
QCM_HD void householder_q_column(const T* c, const T* beta, int n, int steps, int col, T* q) {
  const int dim = size_of<N>(n);
  for (int i = 0; i < dim; ++i) q[i] = i == col ? T(1) : T(0);
  for (int k = steps - 1; k >= 0; --k) {
    const T* v = c + k * dim;
    T dot = 0;
    for (int i = k; i < dim; ++i) dot += v[i] * q[i];
    dot *= beta[k];
    for (int i = k; i < dim; ++i) q[i] -= dot * v[i];
  }
}

}  // namespace detail

/// Scratch of kernel_projection, in T elements: n^2 + n + 2 nullity n; with
/// nullity < 0, enough for any nullity (3 n^2 + n).
QCM_HD constexpr std::size_t kernel_projection_scratch(int n, int nullity = -1) {
  const std::size_t nn = static_cast<std::size_t>(n);
  const std::size_t k = nullity < 0 ? nn : static_cast<std::size_t>(nullity);
  return nn * nn + nn + 2 * k * nn;
}

/// out = P x0, P the projector onto ker B along range B, for a real n x n
/// matrix B whose eigenvalue 0 is semisimple with multiplicity `nullity` (so
/// that R^n = ker B (+) range B): B = M - 1 for the fixed points of a
/// collision map M reached from x0, B = L for the kernel of a generator L.
///
/// Orthonormal bases from Householder QR with column pivoting (rank n - nullity):
///   K, of ker B = range(B^T)^perp: the last `nullity` columns of Q of B^T;
///   L, of ker B^T = range(B)^perp: the last `nullity` columns of Q of B.
/// Then P = K (L^T K)^{-1} L^T: P K = K, and P y = 0 for y in range B since
/// L^T y = 0. This is the projector of the decomposition x0 = K c_K + R c_R
/// ([K | R] c = x0 with R a basis of range B) with a nullity x nullity solve
/// instead of an n x n one; L^T K is invertible exactly when ker B and range B
/// are complementary (0 semisimple), and its conditioning is that of the
/// angle between them.
///
/// False if nullity is outside [0, n], if B has rank below n - nullity (a
/// pivot column exactly zero), or if L^T K is exactly singular. out must not
/// alias b or x0. scratch: kernel_projection_scratch(n, nullity) elements.
template <int N = 0, typename T>
QCM_HD bool kernel_projection(const T* b, int n, int nullity, const T* x0, T* out, T* scratch) {
  const int dim = size_of<N>(n);
  if (nullity < 0 || nullity > dim) return false;
  const int rank = dim - nullity;
  T* work = scratch;                   // dim^2: the QR factors, then L^T K and L^T x0
  T* beta = work + dim * dim;          // dim
  T* kbasis = beta + dim;              // nullity vectors of dim: K's columns
  T* lbasis = kbasis + nullity * dim;  // nullity vectors of dim: L's columns
  // B^T column-major is B row-major: its QR needs no transpose.
  copy<N>(b, work, dim);
  if (!detail::pivoted_householder_qr<N>(work, dim, rank, beta)) return false;
  for (int j = 0; j < nullity; ++j)
    detail::householder_q_column<N>(work, beta, dim, rank, rank + j, kbasis + j * dim);
  transpose<N>(b, work, dim);  // B column-major
  if (!detail::pivoted_householder_qr<N>(work, dim, rank, beta)) return false;
  for (int j = 0; j < nullity; ++j)
    detail::householder_q_column<N>(work, beta, dim, rank, rank + j, lbasis + j * dim);
  // g = L^T K (nullity^2) and y = L^T x0 (nullity) fit in work and beta.
  T* g = work;
  T* y = work + nullity * nullity;
  for (int i = 0; i < nullity; ++i) {
    const T* li = lbasis + i * dim;
    T acc = 0;
    for (int k = 0; k < dim; ++k) acc += li[k] * x0[k];
    y[i] = acc;
    for (int j = 0; j < nullity; ++j) {
      const T* kj = kbasis + j * dim;
      T dot = 0;
      for (int k = 0; k < dim; ++k) dot += li[k] * kj[k];
      g[i * nullity + j] = dot;
    }
  }
  if (!lu_solve<0>(g, y, nullity, nullptr)) return false;
  for (int k = 0; k < dim; ++k) out[k] = T(0);
  for (int j = 0; j < nullity; ++j) {
    const T* kj = kbasis + j * dim;
    for (int k = 0; k < dim; ++k) out[k] += y[j] * kj[k];
  }
  return true;
}

}  // namespace qcm::core::dense
