// @file core layer: the collision channel of a general model, derived once per point.
//
// The reformulation of the qubit channel (qcm/core/channel.hpp) in any
// dimension. A state rho of the d_S-level system is held as d_S^2 real
// coordinates x in the energy eigenbasis of H_S (docs/physics.md §4):
//   x[i]            = rho_ii                      (i < d_S, the populations)
//   x[d_S + 2p]     = Re rho_ij, x[d_S + 2p + 1] = Im rho_ij   (pair p = (i < j))
// so rho = sum_k x_k B_k with B = |i><i|, |i><j| + |j><i|, i|i><j| - i|j><i|.
// One collision is then a linear map x' = M x (the collision map is linear
// and trace preserving), and work, heat, energy and, for an ancilla given by
// its state, Tr[rho'_A ln rho_A] and its weight outside the support of rho_A
// are linear functionals f . x. Per point the channel is derived once, from
// the unitary U of one collision (Hermitian eigen-decomposition of the joint
// d_S d_A x d_S d_A Hamiltonian) through the Kraus operators
// K_ba = sqrt(p_a) <b| U |phi_a> of the ancilla's eigen-decomposition
// rho_A = sum_a p_a |phi_a><phi_a|. Each collision costs a d_S^2 x d_S^2
// real matrix-vector product and the eigenvalues of a d_S x d_S Hermitian
// matrix (the entropy).
//
// All buffers live in a caller-owned workspace laid out by GeneralPlan (no
// allocation: the same code runs on the cpu and as device code). Sizes are
// runtime values (N = 0) or compile-time constants (the template parameters
// DS, DA > 0, instantiated for a short list of small sizes).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "qcm/core/branchless_log.hpp"
#include "qcm/core/dense.hpp"
#include "qcm/core/general_point.hpp"
#include "qcm/core/tolerances.hpp"

namespace qcm::core {

/// Offsets (in T) of every buffer of one point's computation in a worker's
/// workspace. Plain data: computed once per chunk on the host.
struct GeneralPlan {
  int d_s = 0, d_a = 0;  ///< system and ancilla dimensions
  int joint = 0;         ///< d_s d_a
  int coords = 0;        ///< d_s^2, the real coordinates of a system state
  int kraus = 0;         ///< d_a^2, at most this many Kraus operators
  // complex buffers (offsets in T, 2 T per entry)
  std::size_t basis = 0;      ///< d_s x d_s: the energy eigenbasis W (columns)
  std::size_t ancilla = 0;    ///< d_a x d_a: the ancilla's eigenvectors phi_a (columns)
  std::size_t joint_a = 0;    ///< joint x joint: H, then U
  std::size_t joint_b = 0;    ///< joint x joint: eigenvectors, then V in the energy basis
  std::size_t joint_c = 0;    ///< joint x joint: scratch (current operators)
  std::size_t joint_d = 0;    ///< joint x joint: scratch
  std::size_t kraus_ops = 0;  ///< kraus x (d_s x d_s)
  std::size_t small_a = 0, small_b = 0, small_c = 0;  ///< d_s x d_s scratch
  std::size_t rho = 0;                                ///< d_s x d_s: a state as a matrix
  std::size_t scratch_c = 0;                          ///< complex scratch of the dense routines
  std::size_t lambda = 0;  ///< coords complex: eigenvalues of the map or the generator
  // real buffers
  std::size_t energies = 0;       ///< d_s, ascending
  std::size_t ancilla_p = 0;      ///< d_a: the ancilla's eigenvalues p_a
  std::size_t ancilla_log_p = 0;  ///< d_a: ln p_a (-inf outside the support)
  std::size_t joint_w = 0;        ///< joint: eigenvalues of H
  std::size_t map = 0;            ///< coords x coords: M, the collision map
  std::size_t map_t = 0;      ///< coords x map_stride: M^T, each row followed by kStepFunctionals
                              ///< coefficients (the step functionals' coefficient k)
  std::size_t stepped = 0;    ///< map_stride: M x followed by the step functionals of x
  std::size_t generator = 0;  ///< coords x coords: the GKSL generator
  std::size_t square_a = 0, square_b = 0;  ///< coords x coords scratch
  std::size_t functionals = 0;             ///< kFunctionals x coords
  std::size_t vectors = 0;                 ///< kVectors x coords: states and sums
  std::size_t levels = 0;                  ///< 4 x d_s: eigenvalues and scratch
  std::size_t ancilla_map = 0;  ///< d_a^2 x coords: rho'_A as functionals (decomposition)
  std::size_t scratch_r = 0;    ///< real scratch of the dense routines (steady states, expm)
  std::size_t pivots = 0;       ///< coords ints (stored in T slots)
  std::size_t total = 0;        ///< T per worker

  /// The functionals, rows of `functionals`.
  enum Functional : int {
    kWork,            ///< W of one collision from x
    kHeat,            ///< Q of one collision from x
    kEnergy,          ///< Tr[H_S rho]
    kLogAncilla,      ///< Tr[(rho'_A - rho_A) ln rho_A] of one collision (see make_general_channel)
    kOutsideSupport,  ///< weight of rho'_A outside the support of rho_A
    kGkslWork,        ///< Wdot of the GKSL limit
    kGkslHeat,        ///< Qdot of the GKSL limit
    kFunctionals
  };
  static constexpr int kVectors = 8;
  /// The functionals of one collision that the stepping loop evaluates with
  /// every application of the map (the extra entries of map_t's rows).
  static constexpr int kStepFunctionals = 4;
  QCM_HD static constexpr int step_functional(int f) {
    return f == 0 ? kWork : f == 1 ? kHeat : f == 2 ? kLogAncilla : kOutsideSupport;
  }
  /// The row length of map_t.
  QCM_HD static constexpr int map_stride_of(int coords) { return coords + kStepFunctionals; }

  static GeneralPlan make(int d_s, int d_a) {
    GeneralPlan p;
    p.d_s = d_s;
    p.d_a = d_a;
    p.joint = d_s * d_a;
    p.coords = d_s * d_s;
    p.kraus = d_a * d_a;
    std::size_t at = 0;
    const auto complex = [&](std::size_t n) {
      const std::size_t o = at;
      at += 2 * n;
      return o;
    };
    const auto real = [&](std::size_t n) {
      const std::size_t o = at;
      at += n;
      return o;
    };
    const std::size_t ds2 = static_cast<std::size_t>(d_s) * d_s;
    const std::size_t da2 = static_cast<std::size_t>(d_a) * d_a;
    const std::size_t j2 = static_cast<std::size_t>(p.joint) * p.joint;
    const std::size_t c2 = static_cast<std::size_t>(p.coords) * p.coords;
    p.basis = complex(ds2);
    p.ancilla = complex(da2);
    p.joint_a = complex(j2);
    p.joint_b = complex(j2);
    p.joint_c = complex(j2);
    p.joint_d = complex(j2);
    p.kraus_ops = complex(static_cast<std::size_t>(p.kraus) * ds2);
    p.small_a = complex(ds2);
    p.small_b = complex(ds2);
    p.small_c = complex(ds2);
    p.rho = complex(ds2);
    const std::size_t jj = static_cast<std::size_t>(p.joint);
    p.scratch_c = complex(jj * jj + 2 * jj);
    p.lambda = complex(static_cast<std::size_t>(p.coords));
    p.energies = real(static_cast<std::size_t>(d_s));
    p.ancilla_p = real(static_cast<std::size_t>(d_a));
    p.ancilla_log_p = real(static_cast<std::size_t>(d_a));
    p.joint_w = real(static_cast<std::size_t>(p.joint));
    p.map = real(c2);
    p.map_t = real(static_cast<std::size_t>(p.coords) * map_stride_of(p.coords));
    p.stepped = real(static_cast<std::size_t>(map_stride_of(p.coords)));
    p.generator = real(c2);
    p.square_a = real(c2);
    p.square_b = real(c2);
    p.functionals = real(static_cast<std::size_t>(kFunctionals) * p.coords);
    p.vectors = real(static_cast<std::size_t>(kVectors) * p.coords);
    p.levels = real(4 * static_cast<std::size_t>(d_s > d_a ? d_s : d_a));
    p.ancilla_map = real(da2 * static_cast<std::size_t>(p.coords));
    const std::size_t projection = dense::kernel_projection_scratch(p.coords);
    const std::size_t expm = dense::expm_and_integral_scratch(p.coords);
    p.scratch_r = real(projection > expm ? projection : expm);
    p.pivots = real(static_cast<std::size_t>(2 * p.coords));
    p.total = at;
    return p;
  }
};

namespace general_detail {

template <typename T>
QCM_HD_INLINE Complex<T> cmul(Complex<T> a, Complex<T> b) {
  return a * b;
}
template <typename T>
QCM_HD_INLINE Complex<T> cmul_conj(Complex<T> a, Complex<T> b) {  // conj(a) b
  return {a.re * b.re + a.im * b.im, a.re * b.im - a.im * b.re};
}

}  // namespace general_detail

/// Coordinates of a Hermitian d x d matrix (see the file comment).
template <int DS = 0, typename T>
QCM_HD void coordinates_of(const Complex<T>* m, T* x, int d_s) {
  const int d = dense::size_of<DS>(d_s);
  for (int i = 0; i < d; ++i) x[i] = m[i * d + i].re;
  int k = d;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      x[k++] = m[i * d + j].re;
      x[k++] = m[i * d + j].im;
    }
}

/// The Hermitian d x d matrix of coordinates x.
template <int DS = 0, typename T>
QCM_HD void matrix_of(const T* x, Complex<T>* m, int d_s) {
  const int d = dense::size_of<DS>(d_s);
  for (int i = 0; i < d; ++i) m[i * d + i] = {x[i], T(0)};
  int k = d;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      m[i * d + j] = {x[k], x[k + 1]};
      m[j * d + i] = {x[k], -x[k + 1]};
      k += 2;
    }
}

/// The coefficients f with Tr[O rho] = f . x for a Hermitian O (d x d).
template <int DS = 0, typename T>
QCM_HD void functional_of(const Complex<T>* o, T* f, int d_s) {
  const int d = dense::size_of<DS>(d_s);
  for (int i = 0; i < d; ++i) f[i] = o[i * d + i].re;
  int k = d;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      // Tr[O B] for B = |i><j| + |j><i| and i|i><j| - i|j><i|, with O Hermitian.
      f[k++] = o[j * d + i].re + o[i * d + j].re;
      f[k++] = o[i * d + j].im - o[j * d + i].im;
    }
}

template <int L = 0, typename T>
QCM_HD T dot(const T* f, const T* x, int n) {
  const int m = dense::size_of<L>(n);
  T acc = T(0);
  for (int k = 0; k < m; ++k) acc += f[k] * x[k];
  return acc;
}

/// The measures of a state (docs/physics.md §4) from its coordinates and the
/// eigenvalues of its matrix (ascending).
template <typename T>
struct GeneralMeasures {
  T energy, purity, entropy, coherence_l1, ergotropy;
};

/// -sum p ln p over the eigenvalues (negative rounding counted as 0, NaN kept),
/// for a scalar or a lane vector V (qcm/core/lanes.hpp); the logarithm is
/// branchless_log, which the qubit kernels use too.
template <typename V>
QCM_HD V entropy_of(const V* eigenvalues, int d) {
  V s = V{};
  for (int k = 0; k < d; ++k) s -= x_log_x(eigenvalues[k]);
  return s;
}

/// A general model's point, derived once: the energy basis, the ancilla's
/// spectrum, U, the collision map and the functionals, and the flags of what
/// does not exist for it. The buffers are those of `plan` in `ws`.
template <typename T, int DS = 0, int DA = 0>
struct GeneralChannel {
  GeneralPlan plan;
  T* ws;
  int d_s, d_a;
  T dt;
  T beta;              ///< NaN when the ancilla is given by its state
  bool gibbs;          ///< the ancilla is a Gibbs state
  T ancilla_entropy;   ///< S(rho_A)
  T ancilla_log_mean;  ///< Tr[rho_A ln rho_A] = -S(rho_A)
  bool pure_support;   ///< rho_A has a kernel (its support is not everything)
  T heat_zero_tolerance, support_weight_tolerance, heat_rate_tolerance;
  T coupling_scale;
  bool coherent_ancilla;  ///< [rho_A, H_A] != 0
  bool odd_moment;        ///< Tr_A[V (1 x rho_A)] != 0
  T generator_scale;      ///< max |G_ij| of the GKSL generator
  int kraus_count;

  static constexpr int kDs = DS, kDa = DA, kJoint = DS * DA, kCoords = DS * DS;
  QCM_HD int ds() const { return dense::size_of<DS>(d_s); }
  QCM_HD int da() const { return dense::size_of<DA>(d_a); }
  QCM_HD int joint() const { return dense::size_of<kJoint>(d_s * d_a); }
  QCM_HD int coords() const { return dense::size_of<kCoords>(d_s * d_s); }

  QCM_HD Complex<T>* complex_at(std::size_t offset) const {
    return reinterpret_cast<Complex<T>*>(ws + offset);
  }
  QCM_HD T* real_at(std::size_t offset) const { return ws + offset; }
  QCM_HD Complex<T>* basis() const { return complex_at(plan.basis); }
  QCM_HD T* energies() const { return real_at(plan.energies); }
  QCM_HD T* map() const { return real_at(plan.map); }
  QCM_HD T* map_transposed() const { return real_at(plan.map_t); }
  QCM_HD int map_stride() const { return GeneralPlan::map_stride_of(coords()); }
  QCM_HD T* generator() const { return real_at(plan.generator); }
  QCM_HD T* functional(int f) const {
    return real_at(plan.functionals + static_cast<std::size_t>(f) * coords());
  }
  QCM_HD T* vector(int v) const {
    return real_at(plan.vectors + static_cast<std::size_t>(v) * coords());
  }
  QCM_HD Complex<T>* kraus(int k) const {
    return complex_at(plan.kraus_ops + 2 * static_cast<std::size_t>(k) * ds() * ds());
  }

  /// Rescale x to unit trace: the map preserves the trace only to rounding,
  /// which would otherwise accumulate over many collisions (in float, 10^-5
  /// after 10^3).
  QCM_HD void normalize_trace(T* x) const {
    T trace = T(0);
    for (int i = 0; i < ds(); ++i) trace += x[i];
    if (!(trace > T(0))) return;
    const T inv = T(1) / trace;
    for (int k = 0; k < coords(); ++k) x[k] *= inv;
  }

  /// The eigenvalues (ascending) of the state with coordinates x, in `out` (d_s T).
  /// Out of line (QCM_HD_NOINLINE): called in the stepping loop.
  QCM_HD_NOINLINE void state_eigenvalues(const T* x, T* out) const {
    Complex<T>* m = complex_at(plan.small_c);
    matrix_of<DS>(x, m, d_s);
    dense::hermitian_eigenvalues<DS>(m, out, d_s, complex_at(plan.scratch_c));
  }
  /// S(rho) of the state with coordinates x; its eigenvalues stay in
  /// real_at(plan.levels) until the next eigenvalue computation.
  QCM_HD T entropy(const T* x) const {
    T* lambda = real_at(plan.levels);
    state_eigenvalues(x, lambda);
    return entropy_of(lambda, ds());
  }

  /// Every state measure of x.
  QCM_HD GeneralMeasures<T> measures(const T* x) const {
    T* lambda = real_at(plan.levels);
    state_eigenvalues(x, lambda);
    return measures_given(x, lambda);
  }
  /// Every state measure of x, whose eigenvalues (ascending) are `lambda`
  /// already (the stepping loop has them from the entropy).
  QCM_HD GeneralMeasures<T> measures_given(const T* x, const T* lambda) const {
    return measures_given(x, lambda, entropy_of(lambda, ds()));
  }
  /// The same, with S(rho) = entropy_of(lambda) known too.
  QCM_HD GeneralMeasures<T> measures_given(const T* x, const T* lambda, T entropy) const {
    const int d = ds();
    GeneralMeasures<T> m;
    m.energy = dot(functional(GeneralPlan::kEnergy), x, coords());
    m.entropy = entropy;
    T purity = T(0), coherence = T(0);
    for (int i = 0; i < d; ++i) purity += x[i] * x[i];
    for (int k = d; k < coords(); k += 2) {
      const T a2 = x[k] * x[k] + x[k + 1] * x[k + 1];
      purity += T(2) * a2;
      coherence += T(2) * std::sqrt(a2);
    }
    m.purity = purity;
    m.coherence_l1 = coherence;
    // Ergotropy: Tr[H rho] minus the passive energy, the eigenvalues in
    // decreasing order on the energies in increasing order.
    T passive = T(0);
    for (int k = 0; k < d; ++k) passive += lambda[d - 1 - k] * energies()[k];
    const T e = m.energy - passive;
    m.ergotropy = e > T(0) ? e : T(0);
    return m;
  }

  /// beta_eff = ln(p_0/p_1)/(E_1 - E_0) of a two-level system (NaN otherwise).
  QCM_HD T beta_eff(const T* x) const {
    if (ds() != 2) return T(NAN);
    const T gap = energies()[1] - energies()[0];
    const T p0 = x[0] > T(0) ? x[0] : T(0), p1 = x[1] > T(0) ? x[1] : T(0);
    if (!(gap > T(0))) return T(NAN);
    if (p1 == T(0)) return p0 > T(0) ? T(INFINITY) : T(NAN);
    if (p0 == T(0)) return T(-INFINITY);
    return std::log(p0 / p1) / gap;
  }

  /// The entropy production of one collision (or a sum of them) from its
  /// entropy change, heat and the functionals of the state(s): Delta S + beta
  /// Q for a Gibbs ancilla (+inf at beta = +-inf when Q is not zero), else
  /// Delta S - Tr[(rho'_A - rho_A) ln rho_A] (`log_ancilla`; +inf when weight
  /// leaves the support of rho_A). `collisions` is how many collisions the
  /// sums cover (the tolerances add up).
  QCM_HD T entropy_production(T delta_entropy, T heat, T log_ancilla, T outside,
                              T collisions) const {
    if (gibbs) {
      if (std::isinf(beta))
        return std::fabs(heat) > collisions * heat_zero_tolerance ? T(INFINITY) : delta_entropy;
      return delta_entropy + beta * heat;
    }
    if (pure_support && outside > collisions * support_weight_tolerance) return T(INFINITY);
    return delta_entropy - log_ancilla;
  }
};

namespace general_detail {

template <typename T>
QCM_HD_INLINE T norm2_of(Complex<T> z) {
  return z.re * z.re + z.im * z.im;
}

/// (P e_j)_i with P the projector onto the eigenvector columns [first, last) of vecs (d x d).
template <typename T>
QCM_HD Complex<T> projected(const Complex<T>* vecs, int first, int last, int i, int j, int d) {
  Complex<T> acc{};
  for (int k = first; k < last; ++k) acc = acc + cmul(vecs[i * d + k], conj(vecs[j * d + k]));
  return acc;
}

/// P e_j minus its components along the basis columns [begin, end), into u (d entries).
template <typename T>
QCM_HD void remainder(const Complex<T>* vecs, int first, int last, const Complex<T>* basis,
                      int begin, int end, int j, int d, Complex<T>* u) {
  for (int i = 0; i < d; ++i) u[i] = projected(vecs, first, last, i, j, d);
  for (int c = begin; c < end; ++c) {
    Complex<T> overlap{};  // <basis_c | u>
    for (int r = 0; r < d; ++r) overlap = overlap + cmul_conj(basis[r * d + c], u[r]);
    for (int i = 0; i < d; ++i) u[i] = u[i] - basis[i * d + c] * overlap;
  }
}

/// The energy eigenbasis of H (d x d, destroyed): the eigenvectors in
/// ascending energy; within a degenerate level (Tolerances::degenerate_level),
/// pivoted Gram-Schmidt of the projections of the space's own basis vectors
/// onto the level, the largest remainder first (lowest index on ties), so that
/// the basis does not depend on the eigensolver. The reference engine builds
/// the same basis (docs/physics.md §4). `u` has room for d entries.
template <int DS, typename T>
QCM_HD void energy_basis(Complex<T>* h, T* energies, Complex<T>* basis, int d_s, Complex<T>* vecs,
                         Complex<T>* u, int* order) {
  const int d = dense::size_of<DS>(d_s);
  dense::hermitian_eigen<DS>(h, energies, vecs, d);
  dense::sort_ascending<DS>(energies, d, order);
  dense::permute_columns<DS>(vecs, order, d, u);
  T biggest = T(0);
  for (int k = 0; k < d; ++k) biggest = std::fmax(biggest, std::fabs(energies[k]));
  const T tolerance = Tolerances<T>::degenerate_level * (biggest > T(1) ? biggest : T(1));
  int next = 0;
  for (int first = 0; first < d;) {
    int last = first + 1;
    while (last < d && energies[last] - energies[first] <= tolerance) ++last;
    if (last - first == 1) {
      for (int i = 0; i < d; ++i) basis[i * d + next] = vecs[i * d + first];
      ++next;
      first = last;
      continue;
    }
    const int begin = next;
    for (int pick = first; pick < last; ++pick) {
      T best_norm = T(-1);
      int best = 0;
      for (int j = 0; j < d; ++j) {
        remainder(vecs, first, last, basis, begin, next, j, d, u);
        T norm2 = T(0);
        for (int i = 0; i < d; ++i) norm2 += norm2_of(u[i]);
        if (norm2 > best_norm * T(1 + 1e-6)) best_norm = norm2, best = j;
      }
      remainder(vecs, first, last, basis, begin, next, best, d, u);
      const T scale = T(1) / std::sqrt(best_norm);
      for (int i = 0; i < d; ++i) basis[i * d + next] = scale * u[i];
      ++next;
    }
    first = last;
  }
}

/// The Gibbs populations of levels `eps` (d values) at inverse temperature
/// beta in [-inf, inf], without overflow (relative to the most populated
/// level); beta = +-inf: uniform on the lowest (highest) degenerate level.
template <typename T>
QCM_HD void gibbs_populations(const T* eps, int d, T beta, T* p, T* log_p) {
  T lo = eps[0], hi = eps[0], biggest = T(0);
  for (int a = 0; a < d; ++a) {
    lo = std::fmin(lo, eps[a]);
    hi = std::fmax(hi, eps[a]);
    biggest = std::fmax(biggest, std::fabs(eps[a]));
  }
  if (std::isinf(beta)) {
    const T ref = beta > T(0) ? lo : hi;
    const T tolerance = Tolerances<T>::degenerate_level * (biggest > T(1) ? biggest : T(1));
    int count = 0;
    for (int a = 0; a < d; ++a) count += std::fabs(eps[a] - ref) <= tolerance;
    for (int a = 0; a < d; ++a) {
      const bool occupied = std::fabs(eps[a] - ref) <= tolerance;
      p[a] = occupied ? T(1) / T(count) : T(0);
      log_p[a] = occupied ? -std::log(T(count)) : T(-INFINITY);
    }
    return;
  }
  // Relative to the most populated level: every weight <= 1, nothing overflows,
  // and ln p stays finite where p itself underflows.
  const T ref = beta >= T(0) ? lo : hi;
  T z = T(0);
  for (int a = 0; a < d; ++a) z += std::exp(-beta * (eps[a] - ref));
  const T log_z = std::log(z);
  for (int a = 0; a < d; ++a) {
    log_p[a] = -beta * (eps[a] - ref) - log_z;
    p[a] = std::exp(log_p[a]);
  }
}

/// Accumulate into f the functional of Tr[rho Y] for Y = sum_a sum_bb' O[b'][b] K_b'a^dagger K_ba
/// (the expectation of 1 x O after a collision; O d_a x d_a, row-major),
/// using `y` (d_s^2 complex) as scratch. Only entries of O with |O| > 0 cost.
template <int DS, typename T, typename Ch>
QCM_HD void after_collision_ancilla(const Ch& ch, const Complex<T>* o, T* f, Complex<T>* y) {
  const int d = ch.ds(), da = ch.da();
  for (int k = 0; k < d * d; ++k) y[k] = Complex<T>{};
  for (int q = 0; q < ch.kraus_count; ++q) {
    const int a = q / da, b = q % da;  // Kraus q is K_ba: bath level a, outcome b
    for (int b2 = 0; b2 < da; ++b2) {
      const Complex<T> coefficient = o[b2 * da + b];
      if (coefficient.re == T(0) && coefficient.im == T(0)) continue;
      const Complex<T>* k1 = ch.kraus(a * da + b2);  // K_b'a
      const Complex<T>* k2 = ch.kraus(q);            // K_ba
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) {
          Complex<T> acc{};
          for (int r = 0; r < d; ++r) acc = acc + cmul_conj(k1[r * d + i], k2[r * d + j]);
          y[i * d + j] = y[i * d + j] + coefficient * acc;
        }
    }
  }
  functional_of<DS>(y, f, d);
}

}  // namespace general_detail

/// Derive the channel of one point: the energy basis, the ancilla's
/// spectrum, U, the Kraus operators, the collision map M and the collision
/// functionals; with `gksl`, also the GKSL generator and its currents; with
/// `ancilla_map`, rho'_A as functionals (for the decomposition of Sigma).
/// The collision map and the generator only when `collision` / `gksl`.
template <typename T, int DS, int DA>
QCM_HD void make_general_channel(GeneralChannel<T, DS, DA>& ch, const GeneralRecord& rec,
                                 bool collision, bool gksl, bool ancilla_map) {
  using namespace general_detail;
  constexpr int kJ = DS * DA;
  const GeneralShape& shape = *rec.shape;
  ch.d_s = shape.system_dim;
  ch.d_a = shape.ancilla_dim[0];
  const int d = ch.ds(), da = ch.da(), nj = ch.joint(), nl = ch.coords();
  const GeneralPlan& plan = ch.plan;
  ch.dt = T(rec.dt());
  ch.beta = T(rec.beta(0));
  ch.gibbs = rec.gibbs(0);
  ch.coupling_scale = rec.scaling() == Scaling::ultrastrong ? T(1) / std::sqrt(T(rec.dt())) : T(1);
  int* order = reinterpret_cast<int*>(ch.real_at(plan.pivots));
  Complex<T>* u = ch.complex_at(plan.scratch_c);

  // The energy basis W of H_S.
  Complex<T>* h_s = ch.complex_at(plan.small_a);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      const Complex<double> e = rec.h_s(i, j);
      h_s[i * d + j] = {T(e.re), T(e.im)};
    }
  energy_basis<DS>(h_s, ch.energies(), ch.basis(), d, ch.complex_at(plan.small_b), u, order);

  // The ancilla: its Hamiltonian's spread, its eigenvectors and populations.
  Complex<T>* phi = ch.complex_at(plan.ancilla);
  T* p = ch.real_at(plan.ancilla_p);
  T* log_p = ch.real_at(plan.ancilla_log_p);  // -inf outside the support
  Complex<T>* h_a = ch.complex_at(plan.joint_c);
  for (int a = 0; a < da; ++a)
    for (int b = 0; b < da; ++b) {
      const Complex<double> e = rec.h_a(0, a, b);
      h_a[a * da + b] = {T(e.re), T(e.im)};
    }
  T* eps = ch.real_at(plan.levels);
  dense::hermitian_eigenvalues<DA>(h_a, eps, da, u);
  const T spread = eps[da - 1] - eps[0];
  ch.heat_zero_tolerance = Tolerances<T>::heat_zero(spread);
  ch.support_weight_tolerance = Tolerances<T>::support_weight(spread);
  Complex<T>* rho_a = ch.complex_at(plan.joint_d);  // the ancilla state, da x da
  if (ch.gibbs) {
    dense::hermitian_eigen<DA>(h_a, eps, phi, da);
    gibbs_populations(eps, da, ch.beta, p, log_p);
    ch.coherent_ancilla = false;
  } else {
    for (int a = 0; a < da; ++a)
      for (int b = 0; b < da; ++b) {
        const Complex<double> e = rec.rho_a(0, a, b);
        rho_a[a * da + b] = {T(e.re), T(e.im)};
      }
    // [rho_A, H_A], before the eigen-decompositions destroy their inputs.
    T commutator = T(0), scale = T(0);
    for (int a = 0; a < da; ++a)
      for (int b = 0; b < da; ++b) {
        Complex<T> c{};
        for (int r = 0; r < da; ++r)
          c = c + rho_a[a * da + r] * h_a[r * da + b] - h_a[a * da + r] * rho_a[r * da + b];
        commutator += norm2_of(c);
        scale = std::fmax(scale, std::sqrt(norm2_of(h_a[a * da + b])));
      }
    ch.coherent_ancilla = !Tolerances<T>::commute(std::sqrt(commutator), scale);
    dense::hermitian_eigen<DA>(rho_a, p, phi, da);
    // A given state: levels at rounding level count as outside its support.
    for (int a = 0; a < da; ++a) {
      if (p[a] < T(0)) p[a] = T(0);
      log_p[a] = p[a] > Tolerances<T>::support_weight(T(1)) ? std::log(p[a]) : T(-INFINITY);
    }
  }
  // The support of rho_A, its entropy and Tr[rho_A ln rho_A].
  ch.pure_support = false;
  ch.ancilla_entropy = T(0);
  for (int a = 0; a < da; ++a) {
    if (std::isinf(log_p[a])) {
      ch.pure_support = true;
      continue;
    }
    ch.ancilla_entropy -= p[a] * log_p[a];
  }
  ch.ancilla_log_mean = -ch.ancilla_entropy;
  // rho_A in the computational basis, from its eigen-decomposition.
  for (int a = 0; a < da; ++a)
    for (int b = 0; b < da; ++b) {
      Complex<T> acc{};
      for (int c = 0; c < da; ++c) acc = acc + p[c] * cmul(phi[a * da + c], conj(phi[b * da + c]));
      rho_a[a * da + b] = acc;
    }

  // V in the energy basis of the system: (W^dagger x 1) V (W x 1), into joint_b.
  Complex<T>* v = ch.complex_at(plan.joint_b);
  Complex<T>* tmp = ch.complex_at(plan.joint_c);
  const Complex<T>* w = ch.basis();
  T v_norm2 = T(0);
  for (int r = 0; r < nj; ++r)
    for (int c = 0; c < nj; ++c) {
      // tmp[(k a), (j b)] = sum_l V[(k a), (l b)] W[l][j]
      Complex<T> acc{};
      const int j = c / da, bb = c % da;
      for (int l2 = 0; l2 < d; ++l2) {
        const Complex<double> e = rec.coupling(0, r, l2 * da + bb);
        acc = acc + Complex<T>{T(e.re), T(e.im)} * w[l2 * d + j];
      }
      tmp[r * nj + c] = acc;
    }
  for (int r = 0; r < nj; ++r)
    for (int c = 0; c < nj; ++c) {
      const int i = r / da, a = r % da;
      Complex<T> acc{};
      for (int k = 0; k < d; ++k) acc = acc + cmul_conj(w[k * d + i], tmp[(k * da + a) * nj + c]);
      v[r * nj + c] = acc;
      v_norm2 += norm2_of(acc);
    }
  // The odd moment Tr_A[V (1 x rho_A)] (d x d): the GKSL limit needs it zero.
  {
    T odd = T(0);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        Complex<T> acc{};
        for (int a = 0; a < da; ++a)
          for (int b = 0; b < da; ++b)
            acc = acc + v[(i * da + a) * nj + j * da + b] * rho_a[b * da + a];
        odd += norm2_of(acc);
      }
    ch.odd_moment = Tolerances<T>::odd_moment_nonzero(odd, v_norm2);
    ch.heat_rate_tolerance = Tolerances<T>::heat_rate_zero(spread, v_norm2);
  }

  // The energy functional: E_i on the populations.
  T* f_energy = ch.functional(GeneralPlan::kEnergy);
  for (int k = 0; k < nl; ++k) f_energy[k] = k < d ? ch.energies()[k] : T(0);

  if (collision) {
    // H = diag(E) x 1 + 1 x H_A + s V, into joint_a; U = Z e^{-i dt w} Z^dagger.
    Complex<T>* h = ch.complex_at(plan.joint_a);
    for (int r = 0; r < nj; ++r)
      for (int c = 0; c < nj; ++c) {
        const int i = r / da, a = r % da, j = c / da, b = c % da;
        Complex<T> e = ch.coupling_scale * v[r * nj + c];
        if (i == j) {
          const Complex<double> ha = rec.h_a(0, a, b);
          e = e + Complex<T>{T(ha.re), T(ha.im)};
        }
        if (r == c) e.re += ch.energies()[i];
        h[r * nj + c] = e;
      }
    T* lambda_h = ch.real_at(plan.joint_w);
    Complex<T>* z = ch.complex_at(plan.joint_c);
    dense::hermitian_eigen<kJ>(h, lambda_h, z, nj);
    for (int k = 0; k < nj; ++k) u[k] = expi(-ch.dt * lambda_h[k]);
    for (int r = 0; r < nj; ++r)
      for (int c = 0; c < nj; ++c) {
        Complex<T> acc{};
        for (int k = 0; k < nj; ++k) acc = acc + z[r * nj + k] * (u[k] * conj(z[c * nj + k]));
        h[r * nj + c] = acc;  // U
      }
    const Complex<T>* uu = h;
    // Kraus operators K_ba = sqrt(p_a) <b| U |phi_a>, d x d, index a da + b.
    ch.kraus_count = da * da;
    for (int a = 0; a < da; ++a) {
      const T amplitude = std::sqrt(p[a]);
      for (int b = 0; b < da; ++b) {
        Complex<T>* k = ch.kraus(a * da + b);
        for (int i = 0; i < d; ++i)
          for (int j = 0; j < d; ++j) {
            Complex<T> acc{};
            for (int c = 0; c < da; ++c)
              acc = acc + uu[(i * da + b) * nj + j * da + c] * phi[c * da + a];
            k[i * d + j] = amplitude * acc;
          }
      }
    }
    // The collision map M: column k is the coordinates of Phi(B_k), with
    // Phi(|i><j|) = G_ij = sum_K K e_i e_j^dagger K^dagger.
    T* m = ch.map();
    T* mt = ch.map_transposed();
    Complex<T>* g = ch.complex_at(plan.small_a);
    Complex<T>* gh = ch.complex_at(plan.small_b);
    T* column = ch.vector(0);
    const int stride = ch.map_stride();
    const auto set_column = [&](int col) {
      for (int r = 0; r < nl; ++r) m[r * nl + col] = mt[col * stride + r] = column[r];
    };
    int pair = d;
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j) {
        for (int r = 0; r < d * d; ++r) g[r] = Complex<T>{};
        for (int q = 0; q < ch.kraus_count; ++q) {
          const Complex<T>* k = ch.kraus(q);
          for (int r = 0; r < d; ++r)
            for (int c = 0; c < d; ++c)
              g[r * d + c] = g[r * d + c] + cmul(k[r * d + i], conj(k[c * d + j]));
        }
        if (i == j) {
          coordinates_of<DS>(g, column, d);
          set_column(i);
          continue;
        }
        for (int r = 0; r < d; ++r)
          for (int c = 0; c < d; ++c) gh[r * d + c] = g[r * d + c] + conj(g[c * d + r]);
        coordinates_of<DS>(gh, column, d);
        set_column(pair);
        for (int r = 0; r < d; ++r)
          for (int c = 0; c < d; ++c) {
            const Complex<T> x = g[r * d + c] - conj(g[c * d + r]);
            gh[r * d + c] = {-x.im, x.re};  // i (G - G^dagger)
          }
        coordinates_of<DS>(gh, column, d);
        set_column(pair + 1);
        pair += 2;
      }
    // Heat: <1 x H_A> after the collision minus Tr[H_A rho_A] before it.
    T* f_heat = ch.functional(GeneralPlan::kHeat);
    Complex<T>* ha = ch.complex_at(plan.joint_c);
    for (int a = 0; a < da; ++a)
      for (int b = 0; b < da; ++b) {
        const Complex<double> e = rec.h_a(0, a, b);
        ha[a * da + b] = {T(e.re), T(e.im)};
      }
    after_collision_ancilla<DS>(ch, ha, f_heat, g);
    T before = T(0);
    for (int a = 0; a < da; ++a)
      for (int b = 0; b < da; ++b) before += (ha[a * da + b] * rho_a[b * da + a]).re;
    for (int k = 0; k < d; ++k) f_heat[k] -= before;
    // Work: -(<H_SA> after - <H_SA> before), H_SA = s V with blocks V_bb' = <b|V|b'>.
    T* f_work = ch.functional(GeneralPlan::kWork);
    for (int r = 0; r < d * d; ++r) g[r] = Complex<T>{};
    for (int a = 0; a < da; ++a)
      for (int b = 0; b < da; ++b)
        for (int b2 = 0; b2 < da; ++b2) {
          const Complex<T>* k1 = ch.kraus(a * da + b2);  // K_b'a
          const Complex<T>* k2 = ch.kraus(a * da + b);   // K_ba
          // Y += K_b'a^dagger V_b'b K_ba
          for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j) {
              Complex<T> acc{};
              for (int r = 0; r < d; ++r)
                for (int c = 0; c < d; ++c)
                  acc = acc + cmul_conj(k1[r * d + i],
                                        v[(r * da + b2) * nj + c * da + b] * k2[c * d + j]);
              g[i * d + j] = g[i * d + j] + ch.coupling_scale * acc;
            }
        }
    functional_of<DS>(g, f_work, d);
    // Before: Tr_A[H_SA (1 x rho_A)].
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        Complex<T> acc{};
        for (int a = 0; a < da; ++a)
          for (int b = 0; b < da; ++b)
            acc = acc + v[(i * da + a) * nj + j * da + b] * rho_a[b * da + a];
        gh[i * d + j] = ch.coupling_scale * acc;
      }
    functional_of<DS>(gh, column, d);
    for (int k = 0; k < nl; ++k) f_work[k] = -(f_work[k] - column[k]);
    // Tr[rho'_A ln rho_A] and the weight outside the support of rho_A.
    if (!ch.gibbs || ancilla_map) {
      Complex<T>* op = ch.complex_at(plan.joint_c);
      for (int which = 0; which < 2; ++which) {
        for (int a = 0; a < da; ++a)
          for (int b = 0; b < da; ++b) {
            Complex<T> acc{};
            for (int c = 0; c < da; ++c) {
              const bool inside = !std::isinf(log_p[c]);
              const T weight = which == 0 ? (inside ? log_p[c] : T(0)) : (inside ? T(0) : T(1));
              acc = acc + weight * cmul(phi[a * da + c], conj(phi[b * da + c]));
            }
            op[a * da + b] = acc;
          }
        after_collision_ancilla<DS>(
            ch, op,
            ch.functional(which == 0 ? GeneralPlan::kLogAncilla : GeneralPlan::kOutsideSupport), g);
      }
      // Tr[(rho'_A - rho_A) ln rho_A]: minus Tr[rho_A ln rho_A] times the trace of
      // the state, so that the sum over many collisions does not cancel two large
      // numbers, and rounding in the trace of the state does not enter.
      T* f_log = ch.functional(GeneralPlan::kLogAncilla);
      for (int k = 0; k < d; ++k) f_log[k] -= ch.ancilla_log_mean;
    }
    // rho'_A[b][b'] = Tr[rho Y_bb'], Y_bb' = sum_a K_b'a^dagger K_ba: its Hermitian
    // and anti-Hermitian parts as two real functionals per entry b <= b'.
    if (ancilla_map) {
      T* rows = ch.real_at(plan.ancilla_map);
      int row = 0;
      for (int b = 0; b < da; ++b)
        for (int b2 = b; b2 < da; ++b2) {
          for (int r = 0; r < d * d; ++r) g[r] = Complex<T>{};
          for (int a = 0; a < da; ++a) {
            const Complex<T>* k1 = ch.kraus(a * da + b2);
            const Complex<T>* k2 = ch.kraus(a * da + b);
            for (int i = 0; i < d; ++i)
              for (int j = 0; j < d; ++j) {
                Complex<T> acc{};
                for (int r = 0; r < d; ++r) acc = acc + cmul_conj(k1[r * d + i], k2[r * d + j]);
                g[i * d + j] = g[i * d + j] + acc;
              }
          }
          // Re and Im of Tr[rho Y] as Tr[rho (Y + Y^dagger)/2] and Tr[rho (Y - Y^dagger)/(2i)].
          for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j) {
              const Complex<T> y = g[i * d + j], yt = conj(g[j * d + i]);
              gh[i * d + j] = T(0.5) * (y + yt);
            }
          functional_of<DS>(gh, rows + static_cast<std::size_t>(row++) * nl, d);
          for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j) {
              const Complex<T> x = g[i * d + j] - conj(g[j * d + i]);
              gh[i * d + j] = {T(0.5) * x.im, T(-0.5) * x.re};  // (Y - Y^dagger)/(2i)
            }
          functional_of<DS>(gh, rows + static_cast<std::size_t>(row++) * nl, d);
        }
    }
    // The step functionals after each row of M^T (zero where not built: a
    // Gibbs ancilla needs no ancilla terms).
    const bool ancilla_terms = !ch.gibbs || ancilla_map;
    for (int f = 0; f < GeneralPlan::kStepFunctionals; ++f) {
      const int which = GeneralPlan::step_functional(f);
      const bool built =
          ancilla_terms || which == GeneralPlan::kWork || which == GeneralPlan::kHeat;
      const T* coefficients = ch.functional(which);
      for (int k = 0; k < nl; ++k) mt[k * stride + nl + f] = built ? coefficients[k] : T(0);
    }
  }

  if (gksl) {
    // The GKSL generator in coordinates: L(X) = -i[diag E, X] + sum_J J X J^dagger
    // - 1/2 {sum_J J^dagger J, X}, J_ba = sqrt(p_a) <b|V|phi_a> (d x d).
    T* gen = ch.generator();
    for (int k = 0; k < nl * nl; ++k) gen[k] = T(0);
    Complex<T>* jm = ch.complex_at(plan.small_a);
    Complex<T>* kd = ch.complex_at(plan.small_b);  // sum J^dagger J
    Complex<T>* img = ch.complex_at(plan.small_c);
    T* column = ch.vector(0);
    for (int r = 0; r < d * d; ++r) kd[r] = Complex<T>{};
    for (int a = 0; a < da; ++a) {
      const T amplitude = std::sqrt(p[a]);
      if (amplitude == T(0)) continue;
      for (int b = 0; b < da; ++b) {
        for (int i = 0; i < d; ++i)
          for (int j = 0; j < d; ++j) {
            Complex<T> acc{};
            for (int c = 0; c < da; ++c)
              acc = acc + v[(i * da + b) * nj + j * da + c] * phi[c * da + a];
            jm[i * d + j] = amplitude * acc;
          }
        for (int i = 0; i < d; ++i)
          for (int j = 0; j < d; ++j) {
            Complex<T> acc{};
            for (int r = 0; r < d; ++r) acc = acc + cmul_conj(jm[r * d + i], jm[r * d + j]);
            kd[i * d + j] = kd[i * d + j] + acc;
          }
        // J B_k J^dagger for every basis matrix, added to the columns.
        int pair = d;
        for (int i = 0; i < d; ++i)
          for (int j = i; j < d; ++j) {
            // J e_i e_j^dagger J^dagger = J[:, i] J[:, j]^dagger
            for (int r = 0; r < d; ++r)
              for (int c = 0; c < d; ++c) img[r * d + c] = cmul(jm[r * d + i], conj(jm[c * d + j]));
            const auto add = [&](int col) {
              for (int r = 0; r < nl; ++r) gen[r * nl + col] += column[r];
            };
            if (i == j) {
              coordinates_of<DS>(img, column, d);
              add(i);
              continue;
            }
            for (int r = 0; r < d; ++r)
              for (int c = r; c < d; ++c) {
                const Complex<T> x = img[r * d + c], y = conj(img[c * d + r]);
                const Complex<T> sum = x + y, diff = x - y;
                img[r * d + c] = sum;
                img[c * d + r] = conj(sum);
                (void)diff;
              }
            // img now holds G + G^dagger (upper triangle and its mirror).
            coordinates_of<DS>(img, column, d);
            add(pair);
            for (int r = 0; r < d; ++r)
              for (int c = 0; c < d; ++c) img[r * d + c] = cmul(jm[r * d + i], conj(jm[c * d + j]));
            for (int r = 0; r < d; ++r)
              for (int c = r; c < d; ++c) {
                const Complex<T> x = img[r * d + c] - conj(img[c * d + r]);
                const Complex<T> ix{-x.im, x.re};
                img[r * d + c] = ix;
                img[c * d + r] = conj(ix);
              }
            coordinates_of<DS>(img, column, d);
            add(pair + 1);
            pair += 2;
          }
      }
    }
    // -i[diag E, B] - 1/2 {K, B} for every basis matrix B.
    int pair = d;
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j) {
        for (int variant = 0; variant < (i == j ? 1 : 2); ++variant) {
          for (int r = 0; r < d * d; ++r) img[r] = Complex<T>{};
          // B: |i><i|; |i><j| + |j><i|; i|i><j| - i|j><i|.
          Complex<T> bij{T(1), T(0)}, bji{T(1), T(0)};
          if (variant == 1) bij = {T(0), T(1)}, bji = {T(0), T(-1)};
          const auto add_b = [&](int r, int c, Complex<T> value) {  // img += Op(B) for B's entry
            // -i (E_r - E_c) B_rc
            const T de = ch.energies()[r] - ch.energies()[c];
            img[r * d + c] = img[r * d + c] + Complex<T>{value.im * de, -value.re * de};
            // -1/2 (K B + B K)
            for (int x = 0; x < d; ++x) {
              img[x * d + c] = img[x * d + c] - T(0.5) * (kd[x * d + r] * value);
              img[r * d + x] = img[r * d + x] - T(0.5) * (value * kd[c * d + x]);
            }
          };
          if (i == j) {
            add_b(i, i, Complex<T>{T(1), T(0)});
          } else {
            add_b(i, j, bij);
            add_b(j, i, bji);
          }
          coordinates_of<DS>(img, column, d);
          const int col = i == j ? i : pair + variant;
          for (int r = 0; r < nl; ++r) gen[r * nl + col] += column[r];
        }
        if (i != j) pair += 2;
      }
    ch.generator_scale = T(0);
    for (int k = 0; k < nl * nl; ++k)
      ch.generator_scale = std::fmax(ch.generator_scale, std::fabs(gen[k]));
    // Currents: Tr[(V H V - 1/2 {V^2, H}) (rho x rho_A)] for H = H_0 (work) and
    // 1 x H_A (heat), as functionals of rho: Tr_A[O (1 x rho_A)].
    Complex<T>* o = ch.complex_at(plan.joint_a);
    Complex<T>* vh = ch.complex_at(plan.joint_c);
    for (int which = 0; which < 2; ++which) {
      // H (diagonal in the system's energy basis for H_0)
      const auto h_entry = [&](int r, int c) {
        const int i = r / da, a = r % da, j = c / da, b = c % da;
        Complex<T> e{};
        if (i == j) {
          const Complex<double> ha = rec.h_a(0, a, b);
          e = {T(ha.re), T(ha.im)};
        }
        if (which == 0 && r == c) e.re += ch.energies()[i];
        return e;
      };
      // vh = V H
      for (int r = 0; r < nj; ++r)
        for (int c = 0; c < nj; ++c) {
          Complex<T> acc{};
          for (int x = 0; x < nj; ++x) acc = acc + v[r * nj + x] * h_entry(x, c);
          vh[r * nj + c] = acc;
        }
      // O = V H V - 1/2 (V V H + H V V) = vh V - 1/2 (V vh + (vh)^dagger V) since (V H)^dagger = H
      // V.
      for (int r = 0; r < nj; ++r)
        for (int c = 0; c < nj; ++c) {
          Complex<T> vhv{}, v_vh{}, hv_v{};
          for (int x = 0; x < nj; ++x) {
            vhv = vhv + vh[r * nj + x] * v[x * nj + c];
            v_vh = v_vh + v[r * nj + x] * vh[x * nj + c];
            hv_v = hv_v + conj(vh[x * nj + r]) * v[x * nj + c];
          }
          o[r * nj + c] = vhv - T(0.5) * (v_vh + hv_v);
        }
      Complex<T>* red = ch.complex_at(plan.small_a);
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) {
          Complex<T> acc{};
          for (int a = 0; a < da; ++a)
            for (int b = 0; b < da; ++b)
              acc = acc + o[(i * da + a) * nj + j * da + b] * rho_a[b * da + a];
          red[i * d + j] = acc;
        }
      functional_of<DS>(
          red, ch.functional(which == 0 ? GeneralPlan::kGkslWork : GeneralPlan::kGkslHeat), d);
    }
  }
}

}  // namespace qcm::core
