// @file kernels layer: the per-point functor of general models, written once for every backend.
//
// One point per call of operator() (on the cpu, run_lanes steps several together), all its buffers
// in the caller's workspace (a GeneralPlan's worth of T per worker): a cpu thread or a GPU thread
// computes one point at a time. The channel, its functionals and the GKSL
// generator are derived once per point (qcm/core/general_channel.hpp); then
// the point is stepped collision by collision (series, decomposition), or
// evolved in O(log n) by repeated squaring of the collision map when only the
// final state is asked for and that is cheaper, and its steady states are
// solved for. DS, DA > 0 fix the dimensions at compile time (a short list of
// small sizes, kernels/general_launch.hpp); 0 takes them from the records.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/point_kernel.hpp"
#include "qcm/chunk.hpp"
#include "qcm/core/dense.hpp"
#include "qcm/core/general_channel.hpp"
#include "qcm/records.hpp"
#include "qcm/sampling.hpp"

namespace qcm::kernels {

template <typename T, int DS = 0, int DA = 0>
struct GeneralKernel {
  using Channel = core::GeneralChannel<T, DS, DA>;
  using Plan = core::GeneralPlan;
  static constexpr int kL = DS * DS;

  const double* records;
  core::GeneralShape shape;
  Plan plan;
  RunRequest request;
  ChunkView out;

  QCM_HD void put(int column, std::size_t i, T value, int element = 0) const {
    out.values[out.shape.value_index(column, i, element)] = static_cast<double>(value);
  }
  QCM_HD auto store(std::size_t i) const {
    return [this, i](int column, int element, T value) { put(column, i, value, element); };
  }
  QCM_HD auto sample_store(std::size_t i, std::int64_t s) const {
    return [this, i, s](int column, int element, T value) {
      out.series[out.shape.sample_index(s, column, i, element)] = static_cast<double>(value);
    };
  }

  /// The state columns of coordinates x.
  QCM_HD static GeneralStateMeasures<T> state_of(const Channel& ch, const T* x) {
    const core::GeneralMeasures<T> m = ch.measures(x);
    return {m.energy, m.purity, m.entropy, x, ch.ds(), m.coherence_l1, m.ergotropy, ch.beta_eff(x)};
  }

  QCM_HD bool stepping() const {
    return request.series_every > 0 || (request.groups & kGroupDecomposition) != 0;
  }

  /// A point derived and ready to evolve: its channel (in its workspace), what
  /// it evolves by, the flags so far, and rho_0's coordinates.
  struct Prepared {
    Channel ch;
    core::GeneralRecord rec;
    bool collision_dynamics, gksl_dynamics, decompose;
    std::uint32_t flags;
    T* x0;
  };

  QCM_HD Prepared prepare(std::size_t i, T* ws) const {
    Prepared p{};
    p.rec = core::GeneralRecord{records + i * shape.stride, &shape};
    Channel& ch = p.ch;
    ch.plan = plan;
    ch.ws = ws;
    p.collision_dynamics = request.evolve && p.rec.dynamics() == core::Dynamics::collision;
    p.gksl_dynamics = request.evolve && p.rec.dynamics() == core::Dynamics::gksl;
    p.decompose = p.collision_dynamics && (request.groups & kGroupDecomposition) != 0;
    core::make_general_channel(ch, p.rec,
                               p.collision_dynamics || (request.groups & kGroupStationary),
                               p.gksl_dynamics || (request.groups & kGroupGksl), p.decompose);
    p.flags = 0;
    if (ch.ds() == 2) {
      const T gap = ch.energies()[1] - ch.energies()[0];
      const T scale =
          std::fmax(T(1), std::fmax(std::fabs(ch.energies()[0]), std::fabs(ch.energies()[1])));
      if (!(gap > core::Tolerances<T>::degenerate_level * scale))
        p.flags |= core::kBetaEffEqualLevels;
    }
    // rho_0 in the energy basis: W^dagger rho_0 W, as coordinates.
    p.x0 = ch.vector(3);
    initial_coordinates(ch, p.rec, p.x0);
    out.sample_counts[i] = 0;
    return p;
  }

  /// Whether the collisions of p are stepped one by one (else squared).
  QCM_HD bool steps_collisions(const Prepared& p) const {
    if (!p.collision_dynamics) return false;
    if (stepping()) return true;
    // Repeated squaring costs log2(n) matrix products of size d^2 and a few
    // matrix-vector products per bit, stepping n matrix-vector products:
    // square when that is cheaper.
    const std::int64_t n = p.rec.collisions();
    T log2n = T(0);
    for (std::int64_t m = n; m > 1; m >>= 1) log2n += T(1);
    return !(log2n * T(p.ch.coords() + 4) < T(n));
  }

  /// The dynamics of point i (prepared as p).
  QCM_HD void evolve(Prepared& p, std::size_t i) const {
    if (p.gksl_dynamics) {
      p.flags |= evolve_gksl(p.ch, p.rec, p.x0, i);
    } else if (p.collision_dynamics) {
      if (steps_collisions(p)) {
        Channel* ch[1] = {&p.ch};
        const T* x0[1] = {p.x0};
        evolve_stepping<1>(ch, x0, i, p.decompose);
      } else {
        evolve_closed_form(p.ch, p.rec, p.x0, i);
      }
    }
  }

  /// The steady states of point i, its null columns and flags.
  QCM_HD void finish(Prepared& p, std::size_t i) const {
    if (request.groups & kGroupStationary) p.flags |= stationary(p.ch, p.rec, p.x0, i);
    if (request.groups & kGroupGksl) p.flags |= gksl(p.ch, p.rec, p.x0, i);
    const bool evolved = p.collision_dynamics || p.gksl_dynamics;
    write_nulls(p.flags,
                evolved ? 0u : std::uint32_t{kGroupFinal | kGroupDecomposition | kGroupState},
                out.shape.columns, store(i));
    out.flags[i] = p.flags;
  }

  /// Every output of point i, with `ws` (plan.total T) as its workspace.
  QCM_HD void operator()(std::size_t i, T* ws) const {
    Prepared p = prepare(i, ws);
    evolve(p, i);
    finish(p, i);
  }

  /// Every output of points i0 .. i0 + L - 1, lane l with ws[l] as its
  /// workspace. When all L are stepped collision by collision for the same
  /// number of collisions, they are stepped in lock step, and the eigenvalues
  /// of their states (most of a step's time at d_s >= 3) are computed for the
  /// L together, one lane vector per matrix entry
  /// (hermitian_eigenvalues_lanes); every number is the one operator() gives
  /// (tests/general_kernel_test.cpp). `step_lanes(kernel, ch, x0, i0,
  /// decompose)` runs kernel.evolve_stepping<L>: the launcher may hand in a
  /// copy compiled for a wider instruction set.
  template <int L, typename StepLanes>
  void run_lanes(std::size_t i0, T* const* ws, const StepLanes& step_lanes) const {
    static_assert(DS > 0, "lanes take fixed sizes (hermitian_eigenvalues_lanes)");
    Prepared p[L];
    for (int l = 0; l < L; ++l) p[l] = prepare(i0 + l, ws[l]);
    bool together = true;
    for (int l = 0; l < L; ++l)
      together =
          together && steps_collisions(p[l]) && p[l].rec.collisions() == p[0].rec.collisions();
    if (together) {
      Channel* ch[L];
      const T* x0[L];
      for (int l = 0; l < L; ++l) {
        ch[l] = &p[l].ch;
        x0[l] = p[l].x0;
      }
      step_lanes(*this, ch, x0, i0, p[0].decompose);
    } else {
      for (int l = 0; l < L; ++l) evolve(p[l], i0 + l);
    }
    for (int l = 0; l < L; ++l) finish(p[l], i0 + l);
  }

  QCM_HD static void initial_coordinates(const Channel& ch, const core::GeneralRecord& rec, T* x0) {
    const int d = ch.ds();
    const core::Complex<T>* w = ch.basis();
    core::Complex<T>* rho = ch.complex_at(ch.plan.rho);
    core::Complex<T>* tmp = ch.complex_at(ch.plan.small_a);
    // tmp = rho_0 W, rho = W^dagger tmp
    for (int r = 0; r < d; ++r)
      for (int c = 0; c < d; ++c) {
        core::Complex<T> acc{};
        for (int k = 0; k < d; ++k) {
          const core::Complex<double> e = rec.rho0(r, k);
          acc = acc + core::Complex<T>{T(e.re), T(e.im)} * w[k * d + c];
        }
        tmp[r * d + c] = acc;
      }
    for (int r = 0; r < d; ++r)
      for (int c = 0; c < d; ++c) {
        core::Complex<T> acc{};
        for (int k = 0; k < d; ++k) acc = acc + core::conj(w[k * d + r]) * tmp[k * d + c];
        rho[r * d + c] = acc;
      }
    core::coordinates_of<DS>(rho, x0, d);
  }

  /// The `state` group: rho = W rho' W^dagger in the space's own basis.
  QCM_HD void write_state_group(const Channel& ch, const T* x, std::size_t i) const {
    if (!(request.groups & kGroupState)) return;
    const int d = ch.ds();
    const core::Complex<T>* w = ch.basis();
    core::Complex<T>* rho = ch.complex_at(ch.plan.rho);
    core::Complex<T>* tmp = ch.complex_at(ch.plan.small_a);
    core::matrix_of<DS>(x, rho, d);
    for (int r = 0; r < d; ++r)
      for (int c = 0; c < d; ++c) {
        core::Complex<T> acc{};
        for (int k = 0; k < d; ++k) acc = acc + rho[r * d + k] * core::conj(w[c * d + k]);
        tmp[r * d + c] = acc;  // rho' W^dagger
      }
    for (int r = 0; r < d; ++r)
      for (int c = 0; c < d; ++c) {
        core::Complex<T> acc{};
        for (int k = 0; k < d; ++k) acc = acc + w[r * d + k] * tmp[k * d + c];
        rho[r * d + c] = acc;
      }
    write_rho(
        d, [&](int r, int c) { return rho[r * d + c].re; },
        [&](int r, int c) { return rho[r * d + c].im; }, store(i));
  }

  /// x' = M x. On the cpu from M^T: independent accumulators that vectorise.
  /// On the GPU (runtime sizes, the vectors in device memory) the dot
  /// products keep their accumulator in a register instead of updating every
  /// entry of out once per column; which is faster there is for a device to
  /// measure.
  QCM_HD static void apply_map(const Channel& ch, const T* x, T* out_x) {
#if defined(__CUDA_ARCH__)
    core::dense::matvec<kL>(ch.map(), x, out_x, ch.coords());
#else
    const int nl = ch.coords();
    core::dense::matvec_transposed<kL, kL>(ch.map_transposed(), x, out_x, nl, nl, ch.map_stride());
#endif
  }

  /// One collision's thermodynamics from x (the state before it) to xn.
  struct Step {
    T work, heat, log_ancilla, outside, delta_entropy, entropy_production;
  };

  /// xn = M x and the step's work and heat from x (and its ancilla terms
  /// when asked); xn needs room for Channel::map_stride() values. On the cpu
  /// in one pass: the rows of M^T end with the functionals' coefficients, so
  /// the dot products are extra accumulators of the matrix-vector product
  /// (each the sum of core::dot, in its order).
  QCM_HD static void step_products(const Channel& ch, const T* x, T* xn, Step& step,
                                   bool ancilla_terms) {
    const int nl = ch.coords();
#if defined(__CUDA_ARCH__)
    step.work = core::dot<kL>(ch.functional(Plan::kWork), x, nl);
    step.heat = core::dot<kL>(ch.functional(Plan::kHeat), x, nl);
    if (ancilla_terms) {
      step.log_ancilla = core::dot<kL>(ch.functional(Plan::kLogAncilla), x, nl);
      step.outside = core::dot<kL>(ch.functional(Plan::kOutsideSupport), x, nl);
    }
    apply_map(ch, x, xn);
#else
    constexpr int kWidth = kL > 0 ? Plan::map_stride_of(kL) : 0;
    const int stride = ch.map_stride();
    core::dense::matvec_transposed<kL, kWidth>(ch.map_transposed(), x, xn, nl, stride, stride);
    static_assert(Plan::step_functional(0) == Plan::kWork &&
                  Plan::step_functional(1) == Plan::kHeat &&
                  Plan::step_functional(2) == Plan::kLogAncilla &&
                  Plan::step_functional(3) == Plan::kOutsideSupport);
    step.work = xn[nl];
    step.heat = xn[nl + 1];
    if (ancilla_terms) {
      step.log_ancilla = xn[nl + 2];
      step.outside = xn[nl + 3];
    }
#endif
  }

  /// S of the L states x[l], lane l's eigenvalues left in ch[l]'s plan.levels
  /// (as Channel::entropy leaves them): for L > 1 computed together.
  template <int L>
  QCM_HD static void entropies(Channel* const* ch, T* const* x, T* s) {
    if constexpr (L == 1) {
      s[0] = ch[0]->entropy(x[0]);
    } else {
      const int d = ch[0]->ds();
      const core::Complex<T>* m[L];
      T* lambda[L];
      for (int l = 0; l < L; ++l) {
        core::Complex<T>* ml = ch[l]->complex_at(ch[l]->plan.small_c);
        core::matrix_of<DS>(x[l], ml, d);
        m[l] = ml;
        lambda[l] = ch[l]->real_at(ch[l]->plan.levels);
      }
      core::dense::hermitian_eigenvalues_lanes<DS, L>(m, lambda);
      // The logarithms in lanes too (branchless_log: the scalar's numbers).
      using V = core::LaneVector<T, L>;
      V by_level[DS];
      for (int k = 0; k < DS; ++k)
        by_level[k] = core::lanes_from<V>([&](int l) { return lambda[l][k]; });
      const V entropy = core::entropy_of(by_level, DS);
      for (int l = 0; l < L; ++l) s[l] = core::lane_get(entropy, l);
    }
  }

  /// Collision by collision: series, decomposition, and final outputs of the
  /// L points i0 + l (channel ch[l], initial coordinates x0[l]), all with the
  /// same number of collisions, stepped in lock step (L = 1: one point).
  template <int L>
  QCM_HD void evolve_stepping(Channel* const* ch, const T* const* x0, std::size_t i0,
                              bool decompose) const {
    const int nl = ch[0]->coords();
    struct Lane {
      T* x;
      T* xn;
      bool needs_ancilla_terms;
      T s0, s;
      T work, heat, log_sum, out_sum, mutual, relative, max_heat, max_outside;
      Step last;
    };
    Lane lane[L];
    T* xs[L];
    T* xns[L];
    for (int l = 0; l < L; ++l) {
      Lane& ln = lane[l];
      const Channel& c = *ch[l];
      ln.x = c.vector(1);
      ln.xn = c.real_at(c.plan.stepped);  // map_stride values (step_products)
      xs[l] = ln.x;
      xns[l] = ln.xn;
      for (int k = 0; k < nl; ++k) ln.x[k] = x0[l][k];
      ln.needs_ancilla_terms = !c.gibbs;
      ln.work = ln.heat = ln.log_sum = ln.out_sum = ln.mutual = ln.relative = T(0);
      ln.max_heat = ln.max_outside = T(0);
      ln.last = Step{};
    }
    {
      T s0[L];
      entropies<L>(ch, xs, s0);
      for (int l = 0; l < L; ++l) lane[l].s0 = lane[l].s = s0[l];
    }
    const std::int64_t n = core::GeneralRecord{records + i0 * shape.stride, &shape}.collisions();
    const std::int64_t every = request.series_every;
    // The entropy of every state when every collision is sampled or the
    // decomposition is asked for; otherwise only around the samples (the
    // cumulative Sigma telescopes).
    const bool entropy_every_step = decompose || every == 1;
    SampleClock clock(every, n);
    std::int64_t sample = 0;
    for (std::int64_t k = 1; k <= n; ++k) {
      for (int l = 0; l < L; ++l) {
        Lane& ln = lane[l];
        step_products(*ch[l], ln.x, ln.xn, ln.last, ln.needs_ancilla_terms || decompose);
        ch[l]->normalize_trace(ln.xn);
        ln.work += ln.last.work;
        ln.heat += ln.last.heat;
        ln.log_sum += ln.last.log_ancilla;
        ln.out_sum += ln.last.outside;
        ln.max_heat = std::fmax(ln.max_heat, std::fabs(ln.last.heat));
        ln.max_outside = std::fmax(ln.max_outside, ln.last.outside);
      }
      const bool sample_here = clock.tick(k);
      // Whether plan.levels holds the eigenvalues of xn when it is sampled.
      bool eigenvalues_of_next = false;
      if (entropy_every_step || sample_here || k == n) {
        T s_before[L], s_next[L];
        if (entropy_every_step)
          for (int l = 0; l < L; ++l) s_before[l] = lane[l].s;
        else
          entropies<L>(ch, xs, s_before);
        entropies<L>(ch, xns, s_next);
        eigenvalues_of_next = !decompose;  // the decomposition needs plan.levels too
        for (int l = 0; l < L; ++l) {
          Lane& ln = lane[l];
          ln.last.delta_entropy = s_next[l] - s_before[l];
          ln.last.entropy_production = ch[l]->entropy_production(
              ln.last.delta_entropy, ln.last.heat, ln.last.log_ancilla, ln.last.outside, T(1));
          if (decompose) {
            T mi, dd;
            decomposition_terms(*ch[l], ln.x, s_before[l], s_next[l], ln.last, mi, dd);
            ln.mutual += mi;
            ln.relative += dd;
          }
          ln.s = s_next[l];
        }
      }
      for (int l = 0; l < L; ++l)
        for (int c = 0; c < nl; ++c) lane[l].x[c] = lane[l].xn[c];
      if (sample_here) {
        for (int l = 0; l < L; ++l) {
          const Lane& ln = lane[l];
          const Channel& c = *ch[l];
          const T inv_dt = T(1) / c.dt;
          const T sigma =
              cumulative_sigma(c, ln.s - ln.s0, ln.heat, ln.max_heat, ln.log_sum, ln.max_outside);
          const core::GeneralMeasures<T> m =
              eigenvalues_of_next ? c.measures_given(ln.x, c.real_at(c.plan.levels), ln.s)
                                  : c.measures(ln.x);
          write_sample(GeneralSampleRecord<T>{T(k),
                                              T(k) * c.dt,
                                              m.energy,
                                              m.purity,
                                              m.entropy,
                                              ln.x,
                                              c.ds(),
                                              {ln.last.work * inv_dt, ln.last.heat * inv_dt,
                                               ln.last.entropy_production * inv_dt},
                                              ln.work,
                                              ln.heat,
                                              sigma},
                       sample_store(i0 + l, sample));
        }
        ++sample;
      }
    }
    for (int l = 0; l < L; ++l) {
      const Lane& ln = lane[l];
      const std::size_t i = i0 + l;
      out.sample_counts[i] = sample;
      // ln.s is S(x): the last step computed it (or x = x0 when n = 0).
      const T sigma =
          cumulative_sigma(*ch[l], ln.s - ln.s0, ln.heat, ln.max_heat, ln.log_sum, ln.max_outside);
      write_final_group(*ch[l], x0[l], ln.x, ln.work, ln.heat, sigma, ln.last, i);
      if (decompose) write_decomposition(ln.mutual, ln.relative, store(i));
    }
  }

  /// The decomposition of one collision's Sigma: I(S:A)' and D(rho'_A || rho_A).
  QCM_HD_NOINLINE static void decomposition_terms(const Channel& ch, const T* x, T s, T s_next,
                                                  const Step& step, T& mutual, T& relative) {
    const int da = ch.da(), nl = ch.coords();
    core::Complex<T>* rho_a = ch.complex_at(ch.plan.joint_a);  // d_a x d_a fits
    const T* rows = ch.real_at(ch.plan.ancilla_map);
    int row = 0;
    for (int b = 0; b < da; ++b)
      for (int b2 = b; b2 < da; ++b2) {
        const T re = core::dot<kL>(rows + static_cast<std::size_t>(row++) * nl, x, nl);
        const T im = core::dot<kL>(rows + static_cast<std::size_t>(row++) * nl, x, nl);
        rho_a[b * da + b2] = {re, im};
        rho_a[b2 * da + b] = {re, -im};
      }
    T* lambda = ch.real_at(ch.plan.levels);
    core::dense::hermitian_eigenvalues<DA>(rho_a, lambda, da, ch.complex_at(ch.plan.scratch_c));
    const T s_a = core::entropy_of(lambda, da);
    // S(rho'_tot) = S(rho) + S(rho_A): U is unitary.
    mutual = s_next + s_a - s - ch.ancilla_entropy;
    if (ch.pure_support && step.outside > ch.support_weight_tolerance) {
      relative = T(INFINITY);
      return;
    }
    relative = -s_a - (step.log_ancilla + ch.ancilla_log_mean);
  }

  /// The entropy production over k collisions, telescoped: Delta S + beta Q
  /// (Gibbs; +inf at beta = +-inf once one collision's heat was not zero), or
  /// Delta S - sum (Tr[rho'_A ln rho_A] - Tr[rho_A ln rho_A]).
  QCM_HD static T cumulative_sigma(const Channel& ch, T delta_entropy, T heat, T max_heat,
                                   T log_sum, T max_outside) {
    if (ch.gibbs) {
      if (std::isinf(ch.beta))
        return max_heat > ch.heat_zero_tolerance ? T(INFINITY) : delta_entropy;
      return delta_entropy + ch.beta * heat;
    }
    if (ch.pure_support && max_outside > ch.support_weight_tolerance) return T(INFINITY);
    return delta_entropy - log_sum;
  }

  QCM_HD_NOINLINE void write_final_group(const Channel& ch, const T* x0, const T* x, T work, T heat,
                                         T sigma, const Step& last, std::size_t i) const {
    const T* f_energy = ch.functional(Plan::kEnergy);
    const int nl = ch.coords();
    const T inv_dt = T(1) / ch.dt;
    const T delta_energy = core::dot<kL>(f_energy, x, nl) - core::dot<kL>(f_energy, x0, nl);
    write_final(FinalRecord<T, GeneralStateMeasures<T>>{state_of(ch, x),
                                                        work,
                                                        heat,
                                                        delta_energy,
                                                        ch.entropy(x) - ch.entropy(x0),
                                                        sigma,
                                                        {last.work * inv_dt, last.heat * inv_dt,
                                                         last.entropy_production * inv_dt}},
                store(i));
    write_state_group(ch, x, i);
  }

  /// Final-only outputs in O(log n): x_{n-1} = M^{n-1} x0 and sum_{k<n} x_k
  /// from the powers P_i = M^(2^i), one squaring per bit of n. With
  /// S_m = sum_{k<m} M^k, S_(2^(i+1)) = (1 + P_i) S_(2^i) and
  /// S_(L + 2^i) = S_(2^i) + P_i S_L, so the bits of n are taken from the
  /// lowest up and everything but the squaring is a matrix-vector product:
  /// floor(log2 n) matrix products in all (qcm/core/affine_power.hpp, for
  /// qubits, takes the bits from the top down with 4x4 matrix products).
  QCM_HD void evolve_closed_form(Channel& ch, const core::GeneralRecord& rec, const T* x0,
                                 std::size_t i) const {
    const int nl = ch.coords();
    const std::int64_t n = rec.collisions();  // >= 1: no collisions is not collision dynamics
    const std::int64_t target = n - 1;
    T* const squares[2] = {ch.real_at(ch.plan.square_a), ch.real_at(ch.plan.square_b)};
    T* before_last = ch.vector(1);  // M^(bits of n-1 taken so far) x0
    T* xsum = ch.vector(4);         // S_L x0, L the bits of n taken so far
    T* block = ch.vector(5);        // S_(2^i) x0
    T* product = ch.vector(6);
    for (int k = 0; k < nl; ++k) {
      before_last[k] = x0[k];
      xsum[k] = T(0);
      block[k] = x0[k];
    }
    const T* p = ch.map();  // P_0 = M
    for (int bit = 0;; ++bit) {
      if ((n >> bit) & 1) {  // S_(L + 2^i) x0 = S_(2^i) x0 + P_i S_L x0
        core::dense::matvec<kL>(p, xsum, product, nl);
        for (int k = 0; k < nl; ++k) xsum[k] = block[k] + product[k];
      }
      if ((target >> bit) & 1) {
        core::dense::matvec<kL>(p, before_last, product, nl);
        for (int k = 0; k < nl; ++k) before_last[k] = product[k];
      }
      if ((n >> (bit + 1)) == 0) break;
      core::dense::matvec<kL>(p, block, product, nl);  // S_(2^(i+1)) x0 = (1 + P_i) S_(2^i) x0
      for (int k = 0; k < nl; ++k) block[k] += product[k];
      T* const next = squares[p == squares[0] ? 1 : 0];
      core::dense::matmul<kL>(p, p, next, nl);  // P_(i+1) = P_i^2
      p = next;
    }
    T* last_x = ch.vector(2);
    ch.normalize_trace(before_last);
    apply_map(ch, before_last, last_x);
    ch.normalize_trace(last_x);
    const T work = core::dot<kL>(ch.functional(Plan::kWork), xsum, nl);
    const T heat = core::dot<kL>(ch.functional(Plan::kHeat), xsum, nl);
    T log_sum = 0, out_sum = 0;
    if (!ch.gibbs) {
      log_sum = core::dot<kL>(ch.functional(Plan::kLogAncilla), xsum, nl);
      out_sum = core::dot<kL>(ch.functional(Plan::kOutsideSupport), xsum, nl);
    }
    // The sums: at beta = +-inf every Q_k has one sign (the ancilla is pure), so
    // the sum of the Q_k vanishes only if every one does (as for qubits); the
    // weight outside the ancilla's support is never negative.
    const T delta_entropy = ch.entropy(last_x) - ch.entropy(x0);
    const T sigma = ch.entropy_production(delta_entropy, heat, log_sum, out_sum, T(n));
    Step last;
    last.work = core::dot<kL>(ch.functional(Plan::kWork), before_last, nl);
    last.heat = core::dot<kL>(ch.functional(Plan::kHeat), before_last, nl);
    last.log_ancilla =
        ch.gibbs ? T(0) : core::dot<kL>(ch.functional(Plan::kLogAncilla), before_last, nl);
    last.outside =
        ch.gibbs ? T(0) : core::dot<kL>(ch.functional(Plan::kOutsideSupport), before_last, nl);
    last.delta_entropy = ch.entropy(last_x) - ch.entropy(before_last);
    last.entropy_production =
        ch.entropy_production(last.delta_entropy, last.heat, last.log_ancilla, last.outside, T(1));
    write_final_group(ch, x0, last_x, work, heat, sigma, last, i);
  }

  /// Solve for a steady state of the map (target 1) or the generator (target
  /// 0): the eigenvalues counted as `target`, whether another lies on the
  /// unit circle (imaginary axis), the slowest modulus, and the state.
  struct Steady {
    int dimension;
    bool oscillates;
    T slowest_modulus;
  };
  QCM_HD static Steady steady_state(const Channel& ch, const T* a, bool map, const T* x0, T* x) {
    const int nl = ch.coords(), d = ch.ds();
    T* copy = ch.real_at(ch.plan.square_a);
    const std::size_t count = static_cast<std::size_t>(nl) * nl;
    for (std::size_t k = 0; k < count; ++k) copy[k] = a[k];
    core::Complex<T>* lambda = ch.complex_at(ch.plan.lambda);
    Steady st{0, false, T(0)};
    T scale = T(0);
    if (!map)
      for (std::size_t k = 0; k < count; ++k) scale = std::fmax(scale, std::fabs(a[k]));
    const T tol =
        core::Tolerances<T>::unit_eigenvalue * (map ? T(1) : (scale > T(0) ? scale : T(1)));
    if (!core::dense::real_eigenvalues<kL>(copy, lambda, nl)) {
      st.oscillates = true;  // no convergence: treat as no limit (flagged)
      return st;
    }
    for (int k = 0; k < nl; ++k) {
      const core::Complex<T> l = lambda[k];
      if (map) {
        const T distance = std::sqrt((l.re - T(1)) * (l.re - T(1)) + l.im * l.im);
        const T modulus = std::sqrt(l.re * l.re + l.im * l.im);
        if (distance <= tol) {
          ++st.dimension;
        } else {
          if (modulus >= T(1) - tol) st.oscillates = true;
          st.slowest_modulus = std::fmax(st.slowest_modulus, modulus);
        }
      } else {
        if (std::sqrt(l.re * l.re + l.im * l.im) <= tol)
          ++st.dimension;
        else if (std::fabs(l.re) <= tol)
          st.oscillates = true;
      }
    }
    if (st.oscillates || st.dimension == 0) return st;
    // B = A - target.
    T* b = ch.real_at(ch.plan.square_b);
    for (int r = 0; r < nl; ++r)
      for (int c = 0; c < nl; ++c) b[r * nl + c] = a[r * nl + c] - (map && r == c ? T(1) : T(0));
    if (st.dimension == 1) {
      // The rows of the populations sum to zero (trace preservation): the
      // first is replaced by the trace condition sum_i x_ii = 1.
      for (int c = 0; c < nl; ++c) {
        b[c] = c < d ? T(1) : T(0);
        x[c] = c == 0 ? T(1) : T(0);
      }
      int* pivots = reinterpret_cast<int*>(ch.real_at(ch.plan.pivots));
      if (core::dense::lu_solve<kL>(b, x, nl, pivots)) return st;
      for (int r = 0; r < nl; ++r)
        for (int c = 0; c < nl; ++c) b[r * nl + c] = a[r * nl + c] - (map && r == c ? T(1) : T(0));
    }
    if (!core::dense::kernel_projection<kL>(b, nl, st.dimension, x0, x,
                                            ch.real_at(ch.plan.scratch_r)))
      st.oscillates = true;
    return st;
  }

  /// Fixed point of the collision map (docs/physics.md §4).
  QCM_HD std::uint32_t stationary(Channel& ch, const core::GeneralRecord& rec, const T* x0,
                                  std::size_t i) const {
    (void)rec;
    const int nl = ch.coords();
    T* x = ch.vector(5);
    const Steady st = steady_state(ch, ch.map(), true, x0, x);
    write_dimension<kGroupStationary>(T(st.dimension), store(i));
    if (st.oscillates) return core::kStationaryOscillates;
    T* xn = ch.vector(6);
    apply_map(ch, x, xn);
    Step step;
    step.work = core::dot<kL>(ch.functional(Plan::kWork), x, nl);
    step.heat = core::dot<kL>(ch.functional(Plan::kHeat), x, nl);
    step.log_ancilla = ch.gibbs ? T(0) : core::dot<kL>(ch.functional(Plan::kLogAncilla), x, nl);
    step.outside = ch.gibbs ? T(0) : core::dot<kL>(ch.functional(Plan::kOutsideSupport), x, nl);
    const T sigma = ch.entropy_production(ch.entropy(xn) - ch.entropy(x), step.heat,
                                          step.log_ancilla, step.outside, T(1));
    const T inv_dt = T(1) / ch.dt;
    write_steady_state<kGroupStationary>(
        state_of(ch, x), Rates<T>{step.work * inv_dt, step.heat * inv_dt, sigma * inv_dt},
        store(i));
    put(kStatRelaxationCollisions, i,
        st.slowest_modulus > T(0) ? T(-1) / std::log(st.slowest_modulus) : T(0));
    return 0u;
  }

  QCM_HD static std::uint32_t gksl_missing(const Channel& ch, const core::GeneralRecord& rec) {
    if (rec.scaling() == core::Scaling::fixed) return core::kGkslFixedScaling;
    if (ch.odd_moment) return core::kGkslOddMoment;
    return 0u;
  }

  /// The currents of the GKSL limit in state x (dS/dt given).
  QCM_HD static Rates<T> gksl_rates(const Channel& ch, const T* x, T entropy_rate) {
    const int nl = ch.coords();
    if (ch.coherent_ancilla) return {T(NAN), T(NAN), T(NAN)};
    const T work = core::dot<kL>(ch.functional(Plan::kGkslWork), x, nl);
    const T heat = core::dot<kL>(ch.functional(Plan::kGkslHeat), x, nl);
    if (!ch.gibbs) return {work, heat, T(NAN)};
    const T sigma = std::isinf(ch.beta)
                        ? (std::fabs(heat) > ch.heat_rate_tolerance ? T(INFINITY) : entropy_rate)
                        : entropy_rate + ch.beta * heat;
    return {work, heat, sigma};
  }

  /// Kernel of the GKSL generator (docs/physics.md §5).
  QCM_HD std::uint32_t gksl(Channel& ch, const core::GeneralRecord& rec, const T* x0,
                            std::size_t i) const {
    if (const std::uint32_t missing = gksl_missing(ch, rec)) return missing;
    T* x = ch.vector(5);
    const Steady st = steady_state(ch, ch.generator(), false, x0, x);
    write_dimension<kGroupGksl>(T(st.dimension), store(i));
    if (st.oscillates) return core::kGkslOscillates;
    write_steady_state<kGroupGksl>(state_of(ch, x), gksl_rates(ch, x, T(0)), store(i));
    if (ch.coherent_ancilla) return core::kGkslCoherentAncilla;
    return ch.gibbs ? 0u : core::kGkslNonGibbsAncilla;
  }

  /// dS/dt = -sum_k <k| L(rho) |k> ln p_k in the eigenbasis of rho (+inf when
  /// an empty level is being filled).
  QCM_HD static T entropy_rate(const Channel& ch, const T* x) {
    const int d = ch.ds(), nl = ch.coords();
    core::Complex<T>* rho = ch.complex_at(ch.plan.small_a);
    core::Complex<T>* vecs = ch.complex_at(ch.plan.small_b);
    core::Complex<T>* drho = ch.complex_at(ch.plan.small_c);
    T* p = ch.real_at(ch.plan.levels);
    T* dx = ch.vector(7);
    core::matrix_of<DS>(x, rho, d);
    core::dense::hermitian_eigen<DS>(rho, p, vecs, d);
    core::dense::matvec<kL>(ch.generator(), x, dx, nl);
    core::matrix_of<DS>(dx, drho, d);
    const T feed = core::Tolerances<T>::rate_zero(ch.generator_scale);
    T rate = T(0);
    for (int k = 0; k < d; ++k) {
      core::Complex<T> acc{};  // <k| drho |k>
      for (int r = 0; r < d; ++r)
        for (int c = 0; c < d; ++c)
          acc = acc + core::conj(vecs[r * d + k]) * (drho[r * d + c] * vecs[c * d + k]);
      if (p[k] > T(0))
        rate -= acc.re * std::log(p[k]);
      else if (acc.re > feed)
        return T(INFINITY);
    }
    return rate;
  }

  /// The GKSL equation integrated exactly: x(t) = e^{Gt} x0, the integrals
  /// of the currents from int_0^t e^{Gs} ds (Van Loan).
  QCM_HD std::uint32_t evolve_gksl(Channel& ch, const core::GeneralRecord& rec, const T* x0,
                                   std::size_t i) const {
    std::uint32_t flags =
        (request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u;
    if (gksl_missing(ch, rec)) return flags | core::kGkslDynamicsUndefined;
    if (ch.coherent_ancilla) flags |= core::kGkslDynamicsNoCurrents;
    if (!ch.gibbs) flags |= core::kGkslDynamicsNoEntropyProduction;
    const int nl = ch.coords();
    const T dt = ch.dt;
    const std::int64_t n = rec.collisions();
    const std::int64_t every = request.series_every;
    const T step = every > 0 ? dt : dt * T(n);
    const std::int64_t steps = every > 0 ? n : 1;
    T* e = ch.real_at(ch.plan.square_a);
    T* f = ch.real_at(ch.plan.square_b);
    core::dense::expm_and_integral<kL>(ch.generator(), step, e, f, nl,
                                       ch.real_at(ch.plan.scratch_r));
    T* x = ch.vector(1);
    T* integral = ch.vector(2);
    T* xn = ch.vector(4);
    for (int k = 0; k < nl; ++k) x[k] = x0[k];
    const T s0 = ch.entropy(x0);
    T work = 0, heat = 0;
    const T* f_work = ch.functional(Plan::kGkslWork);
    const T* f_heat = ch.functional(Plan::kGkslHeat);
    const auto sigma_at = [&](T delta_entropy, T q, T t) {
      if (!ch.gibbs || ch.coherent_ancilla) return T(NAN);
      if (std::isinf(ch.beta))
        return std::fabs(q) > ch.heat_rate_tolerance * t ? T(INFINITY) : delta_entropy;
      return delta_entropy + ch.beta * q;
    };
    std::int64_t sample = 0;
    SampleClock clock(every, n);
    for (std::int64_t k = 1; k <= steps; ++k) {
      core::dense::matvec<kL>(f, x, integral, nl);
      work += core::dot<kL>(f_work, integral, nl);
      heat += core::dot<kL>(f_heat, integral, nl);
      core::dense::matvec<kL>(e, x, xn, nl);
      for (int c = 0; c < nl; ++c) x[c] = xn[c];
      if (clock.tick(k)) {
        const core::GeneralMeasures<T> m = ch.measures(x);
        const T t = T(k) * dt;
        const bool currents = !ch.coherent_ancilla;
        write_sample(
            GeneralSampleRecord<T>{T(k), t, m.energy, m.purity, m.entropy, x, ch.ds(),
                                   gksl_rates(ch, x, entropy_rate(ch, x)), currents ? work : T(NAN),
                                   currents ? heat : T(NAN), sigma_at(m.entropy - s0, heat, t)},
            sample_store(i, sample));
        ++sample;
      }
    }
    out.sample_counts[i] = sample;
    const T delta_entropy = ch.entropy(x) - s0;
    const T* f_energy = ch.functional(Plan::kEnergy);
    const bool currents = !ch.coherent_ancilla;
    write_final(
        FinalRecord<T, GeneralStateMeasures<T>>{
            state_of(ch, x), currents ? work : T(NAN), currents ? heat : T(NAN),
            core::dot<kL>(f_energy, x, nl) - core::dot<kL>(f_energy, x0, nl), delta_entropy,
            sigma_at(delta_entropy, heat, dt * T(n)), gksl_rates(ch, x, entropy_rate(ch, x))},
        store(i));
    write_state_group(ch, x, i);
    return flags;
  }
};

}  // namespace qcm::kernels
