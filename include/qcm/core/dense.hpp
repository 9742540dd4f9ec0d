// @file core layer: a small dense linear-algebra library on caller-owned
// arrays, for kernels that run on the CPU (OpenMP) and as CUDA device code
// (one GPU thread per parameter point) at sizes known only at run time.
//
// Rules (those of the whole core layer): header-only, every function QCM_HD,
// templated on the precision T (float and double), no allocation, no
// exceptions, no std containers or algorithms. Matrices are contiguous
// row-major n x n arrays (leading dimension n), complex ones of Complex<T>.
// Scratch space is the caller's, sized by NAME_scratch(n). Every routine is
// `template <int N = 0, typename T> f(..., int n)`: N > 0 fixes the size at
// compile time (n must equal it) so that small fixed sizes unroll, N = 0 uses n.
//
// Contents (namespace qcm::core::dense):
//   dense_basic.hpp      copy, set_identity, transpose, adjoint, matmul, matvec,
//                        frobenius_norm2, one_norm, sort_ascending, permute_columns
//   dense_hermitian.hpp  hermitian_eigen (Jacobi, values and vectors),
//                        hermitian_eigenvalues (sorted; closed forms for n <= 3)
//   dense_real_eigen.hpp balance, hessenberg, hessenberg_eigenvalues,
//                        real_eigenvalues (general real matrix, Francis QR)
//   dense_solve.hpp      lu_solve, lu_substitute, kernel_projection
//   dense_expm.hpp       real_expm, expm_and_integral (Van Loan)
#pragma once

#include "qcm/core/dense_basic.hpp"
#include "qcm/core/dense_expm.hpp"
#include "qcm/core/dense_hermitian.hpp"
#include "qcm/core/dense_real_eigen.hpp"
#include "qcm/core/dense_solve.hpp"
