// @file core layer: all eigenvalues of a general real matrix on caller-owned
// arrays (balancing, Householder reduction to upper Hessenberg form, Francis
// double-shift QR: the classic balanc / orthes / hqr of EISPACK and
// Numerical Recipes), for the spectra of collision maps and GKSL generators.
#pragma once

#include <cmath>

#include "qcm/core/dense_basic.hpp"

namespace qcm::core::dense {

/// Balances a (n x n) in place by a diagonal similarity D^{-1} a D with D a
/// power of 2 per row/column (no rounding), so that each row and its column
/// have comparable norms (Parlett & Reinsch). The eigenvalues are unchanged;
/// the QR iteration, whose errors scale with ||a||, gets more accurate ones on
/// badly scaled matrices. Rows or columns that are zero or not finite are left
/// alone, and the number of passes is bounded, so it always terminates.
template <int N = 0, typename T>
QCM_HD void balance(T* a, int n) {
  const int dim = size_of<N>(n);
  const T radix = T(2), radix2 = T(4);
  const T huge = Limits<T>::max_finite;
  for (int pass = 0; pass < 64; ++pass) {
    bool done = true;
    for (int i = 0; i < dim; ++i) {
      T c = 0, r = 0;
      for (int j = 0; j < dim; ++j) {
        if (j == i) continue;
        c += std::fabs(a[j * dim + i]);
        r += std::fabs(a[i * dim + j]);
      }
      if (!(c > T(0) && r > T(0) && c <= huge && r <= huge)) continue;
      const T s = c + r;
      T f = 1;
      T g = r / radix;
      while (c < g) {
        f *= radix;
        c *= radix2;
      }
      g = r * radix;
      while (c > g) {
        f /= radix;
        c /= radix2;
      }
      if ((c + r) / f < T(0.95) * s) {  // worth it: the row + column norm drops by 5 %
        done = false;
        const T finv = T(1) / f;
        for (int j = 0; j < dim; ++j) a[i * dim + j] *= finv;
        for (int j = 0; j < dim; ++j) a[j * dim + i] *= f;
      }
    }
    if (done) break;
  }
}

namespace detail {

template <typename T>
QCM_HD_INLINE T& real_slot(T& x) {
  return x;
}
template <typename T>
QCM_HD_INLINE T& real_slot(Complex<T>& x) {
  return x.re;
}

/// hessenberg() with a work vector of T or of Complex<T> (its real parts used).
template <int N, typename T, typename W>
QCM_HD void hessenberg_impl(T* a, int n, W* work) {
  const int dim = size_of<N>(n);
  for (int k = 0; k + 2 < dim; ++k) {
    // x = a[k+1 .. dim-1][k]; H = 1 - beta v v^T maps x to alpha e_1. Scaled by
    // its largest entry so that the sum of squares neither overflows nor underflows.
    T scale = 0;
    for (int i = k + 1; i < dim; ++i) scale = std::fmax(scale, std::fabs(a[i * dim + k]));
    if (!(scale > T(0))) continue;
    const T sinv = T(1) / scale;
    T sigma = 0;
    for (int i = k + 2; i < dim; ++i) {
      a[i * dim + k] *= sinv;  // v[i] for i >= k+2, kept in the column being zeroed
      sigma += a[i * dim + k] * a[i * dim + k];
    }
    if (sigma == T(0)) {  // zero below the subdiagonal (or below 1e-154 of it in double)
      for (int i = k + 2; i < dim; ++i) a[i * dim + k] = 0;
      continue;
    }
    const T x0 = a[(k + 1) * dim + k] * sinv;
    const T norm = std::sqrt(x0 * x0 + sigma);
    const T alpha = x0 >= T(0) ? -norm : norm;  // opposite sign to x0: v0 has no cancellation
    const T v0 = x0 - alpha;
    const T beta = T(1) / (norm * (norm + std::fabs(x0)));  // 2 / (v^T v)
    const auto v = [&](int i) { return i == k + 1 ? v0 : a[i * dim + k]; };
    // From the left, rows k+1.., columns k+1..: a -= beta v (v^T a), row by row
    // so that the inner loops run along contiguous rows.
    for (int j = k + 1; j < dim; ++j) real_slot(work[j]) = 0;
    for (int i = k + 1; i < dim; ++i) {
      const T vi = v(i);
      for (int j = k + 1; j < dim; ++j) real_slot(work[j]) += vi * a[i * dim + j];
    }
    for (int i = k + 1; i < dim; ++i) {
      const T bv = beta * v(i);
      for (int j = k + 1; j < dim; ++j) a[i * dim + j] -= bv * real_slot(work[j]);
    }
    // From the right, all rows, columns k+1..: a -= beta (a v) v^T.
    for (int i = 0; i < dim; ++i) {
      T dot = 0;
      for (int j = k + 1; j < dim; ++j) dot += a[i * dim + j] * v(j);
      dot *= beta;
      for (int j = k + 1; j < dim; ++j) a[i * dim + j] -= dot * v(j);
    }
    a[(k + 1) * dim + k] = alpha * scale;
    for (int i = k + 2; i < dim; ++i) a[i * dim + k] = 0;
  }
}

}  // namespace detail

/// Reduces a (n x n) in place to upper Hessenberg form h = Q^T a Q by
/// Householder reflections (entries below the subdiagonal set to 0; Q is not
/// kept). work: n elements of T.
template <int N = 0, typename T>
QCM_HD void hessenberg(T* a, int n, T* work) {
  detail::hessenberg_impl<N>(a, n, work);
}

/// All eigenvalues of the upper Hessenberg h (n x n, destroyed) by the
/// Francis double-shift QR iteration (hqr of Numerical Recipes, after EISPACK),
/// into lambda in no particular order, complex-conjugate pairs adjacent
/// (positive imaginary part first). False if it did not converge within
/// 30 max(10, n) iterations (LAPACK's budget), e.g. for non-finite entries.
template <int N = 0, typename T>
QCM_HD bool hessenberg_eigenvalues(T* h, Complex<T>* lambda, int n) {
  const int dim = size_of<N>(n);
  const T eps = Limits<T>::epsilon;
  // A subdiagonal entry below this is negligible whatever its neighbours
  // (LAPACK's smlnum): it keeps tiny blocks of a graded matrix from never deflating.
  const T small = Limits<T>::min_normal * (T(dim) / eps);
  const auto at = [&](int i, int j) -> T& { return h[i * dim + j]; };
  T anorm = 0;
  for (int i = 0; i < dim; ++i)
    for (int j = (i > 0 ? i - 1 : 0); j < dim; ++j) anorm += std::fabs(at(i, j));
  const int budget = 30 * (dim > 10 ? dim : 10);
  int total = 0;
  int nn = dim - 1;  // the active block is rows/columns l..nn
  int its = 0;       // iterations since the last deflation
  T shift = 0;       // sum of the exceptional shifts already subtracted from the diagonal
  while (nn >= 0) {
    // Look for a single small subdiagonal entry: the active block starts at l.
    int l = nn;
    for (; l > 0; --l) {
      T s = std::fabs(at(l - 1, l - 1)) + std::fabs(at(l, l));
      if (s == T(0)) s = anorm;
      const T sub = std::fabs(at(l, l - 1));
      if (sub <= eps * s || sub <= small) {
        at(l, l - 1) = 0;
        break;
      }
    }
    T x = at(nn, nn);
    if (l == nn) {  // one real root
      lambda[nn] = {x + shift, T(0)};
      --nn;
      its = 0;
      continue;
    }
    T y = at(nn - 1, nn - 1);
    T w = at(nn, nn - 1) * at(nn - 1, nn);
    if (l == nn - 1) {  // a 2x2 block: a real pair or a complex-conjugate pair
      const T p = T(0.5) * (y - x);
      const T q = p * p + w;
      T z = std::sqrt(std::fabs(q));
      x += shift;
      if (q >= T(0)) {
        z = p + (p >= T(0) ? z : -z);  // the root farther from x: no cancellation
        lambda[nn - 1] = {x + z, T(0)};
        lambda[nn] = {z != T(0) ? x - w / z : x + z, T(0)};
      } else {
        lambda[nn - 1] = {x + p, z};
        lambda[nn] = {x + p, -z};
      }
      nn -= 2;
      its = 0;
      continue;
    }
    if (++total > budget) return false;
    if (its > 0 && its % 10 == 0) {
      // Exceptional shift: breaks the cycles of the standard shifts (e.g. a
      // permutation matrix, where the bottom 2x2 block's shifts make no progress).
      shift += x;
      for (int i = 0; i <= nn; ++i) at(i, i) -= x;
      const T s = std::fabs(at(nn, nn - 1)) + std::fabs(at(nn - 1, nn - 2));
      x = y = T(0.75) * s;
      w = T(-0.4375) * s * s;
    }
    ++its;
    // Shifts: the eigenvalues of the bottom 2x2 block (sum x + y, product
    // xy - w). Find two consecutive small subdiagonal entries, from where the
    // step can start: the first column of (h - s1)(h - s2) is (p, q, r, 0, ...).
    int m = nn - 2;
    T p = 0, q = 0, r = 0;
    for (; m >= l; --m) {
      const T zz = at(m, m);
      const T rr = x - zz;
      const T ss = y - zz;
      p = (rr * ss - w) / at(m + 1, m) + at(m, m + 1);
      q = at(m + 1, m + 1) - zz - rr - ss;
      r = at(m + 2, m + 1);
      const T sc = std::fabs(p) + std::fabs(q) + std::fabs(r);
      p /= sc;
      q /= sc;
      r /= sc;
      if (m == l) break;
      const T u = std::fabs(at(m, m - 1)) * (std::fabs(q) + std::fabs(r));
      const T v = std::fabs(p) *
                  (std::fabs(at(m - 1, m - 1)) + std::fabs(zz) + std::fabs(at(m + 1, m + 1)));
      if (u <= eps * v) break;
    }
    for (int i = m; i < nn - 1; ++i) {
      at(i + 2, i) = 0;
      if (i != m) at(i + 2, i - 1) = 0;
    }
    // The double-shift step: 3x3 Householder reflections chase the bulge down.
    for (int k = m; k < nn; ++k) {
      if (k != m) {
        p = at(k, k - 1);
        q = at(k + 1, k - 1);
        r = k + 1 != nn ? at(k + 2, k - 1) : T(0);
        x = std::fabs(p) + std::fabs(q) + std::fabs(r);
        if (x != T(0)) {
          p /= x;
          q /= x;
          r /= x;
        }
      }
      T s = std::sqrt(p * p + q * q + r * r);
      if (p < T(0)) s = -s;
      if (s == T(0)) continue;
      if (k == m) {
        if (l != m) at(k, k - 1) = -at(k, k - 1);
      } else {
        at(k, k - 1) = -s * x;
      }
      p += s;
      x = p / s;
      y = q / s;
      const T z = r / s;
      q /= p;
      r /= p;
      for (int j = k; j <= nn; ++j) {  // rows k, k+1, k+2 of the active block
        T t = at(k, j) + q * at(k + 1, j);
        if (k + 1 != nn) {
          t += r * at(k + 2, j);
          at(k + 2, j) -= t * z;
        }
        at(k + 1, j) -= t * y;
        at(k, j) -= t * x;
      }
      const int imax = nn < k + 3 ? nn : k + 3;
      for (int i = l; i <= imax; ++i) {  // columns k, k+1, k+2
        T t = x * at(i, k) + y * at(i, k + 1);
        if (k + 1 != nn) {
          t += z * at(i, k + 2);
          at(i, k + 2) -= t * r;
        }
        at(i, k + 1) -= t * q;
        at(i, k) -= t;
      }
    }
  }
  return true;
}

/// All eigenvalues of the general real n x n matrix a (destroyed), into
/// lambda (n elements) in no particular order, complex-conjugate pairs
/// adjacent. `balanced`: balance first (recommended; see balance()). False if
/// the QR iteration did not converge. The storage of lambda is the Householder
/// reduction's work vector, so no scratch is needed.
template <int N = 0, typename T>
QCM_HD bool real_eigenvalues(T* a, Complex<T>* lambda, int n, bool balanced = true) {
  const int dim = size_of<N>(n);
  if (dim <= 0) return true;
  if (balanced) balance<N>(a, dim);
  detail::hessenberg_impl<N>(a, dim, lambda);  // lambda's real parts: its work vector
  return hessenberg_eigenvalues<N>(a, lambda, dim);
}

}  // namespace qcm::core::dense
