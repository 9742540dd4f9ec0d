// @file kernels layer: the per-point functor, written once for every backend.
//
// One GPU thread per parameter point, all per-point state in registers; a cpu
// thread takes kCpuLanes points at a time and steps them together in SIMD
// lanes (evolve_stepping, qcm/core/lanes.hpp). The same code is compiled as
// C++ (OpenMP launcher, backend `cpu`) and as CUDA (grid-stride launcher,
// backend `cuda`); see kernels/point_kernels.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "qcm/chunk.hpp"
#include "qcm/columns.hpp"
#include "qcm/core/affine_power.hpp"
#include "qcm/core/channel.hpp"
#include "qcm/core/point.hpp"
#include "qcm/core/real_expm.hpp"
#include "qcm/core/steady_state.hpp"
#include "qcm/core/tolerances.hpp"
#include "qcm/records.hpp"
#include "qcm/sampling.hpp"

namespace qcm::kernels {

/// Where a chunk's results go: raw pointers (host memory for `cpu`, device
/// memory for `cuda`) to buffers of the shape of a ChunkResult (qcm/chunk.hpp).
struct ChunkView {
  double* values = nullptr;               ///< shape.value_index(column, point)
  std::uint32_t* flags = nullptr;         ///< [point]
  std::int64_t* sample_counts = nullptr;  ///< [point]
  double* series = nullptr;               ///< shape.sample_index(sample, column, point)
  ChunkShape shape;
};

template <typename T>
struct PointKernel {
  using Mat4 = core::Mat<T, 4>;

  const core::PointParams* params;
  RunRequest request;
  ChunkView out;

  QCM_HD void put(int column, std::size_t i, T value, int element = 0) const {
    out.values[out.shape.value_index(column, i, element)] = static_cast<double>(value);
  }
  /// The store of point i, as the record writers (qcm/records.hpp) take it.
  QCM_HD auto store(std::size_t i) const {
    return [this, i](int column, int element, T value) { put(column, i, value, element); };
  }
  /// Where the first series sample of point i goes; sample s + 1 lies
  /// out.shape.stride_sample after sample s.
  QCM_HD double* first_sample(std::size_t i) const {
    return out.series + i * out.shape.stride_point;
  }
  /// Store one series sample at `base`: lane `lane` of each of the qubit
  /// form's series columns (scalars or lane vectors, qcm/core/lanes.hpp).
  template <typename V>
  QCM_HD void put_sample(double* base, const V (&columns)[kQubitSeriesColumnCount],
                         int lane) const {
    // The cpu backend lays a point's samples out contiguously (point-major):
    // constant offsets, stored straight from the vector registers.
    if (out.shape.stride_column == 1) {
      for (int c = 0; c < kQubitSeriesColumnCount; ++c)
        base[c] = static_cast<double>(core::lane_get(columns[c], lane));
      return;
    }
    for (int c = 0; c < kQubitSeriesColumnCount; ++c)
      base[static_cast<std::size_t>(c) * out.shape.stride_column] =
          static_cast<double>(core::lane_get(columns[c], lane));
  }

  /// What a point derives before it evolves (each piece only when used).
  struct PointSetup {
    core::QubitModel<T> model;
    core::CollisionChannel<T> channel;
    core::GkslGenerator<T> generator;
    std::uint32_t flags;
    bool collision_dynamics, gksl_dynamics;
  };

  QCM_HD PointSetup setup(std::size_t i) const {
    const core::PointParams& p = params[i];
    PointSetup s;
    s.model = core::make_qubit_model<T>(p);
    s.collision_dynamics = request.evolve && p.dynamics == core::Dynamics::collision;
    s.gksl_dynamics = request.evolve && p.dynamics == core::Dynamics::gksl;
    // Derive the channel and the generator once each, and only when used.
    if (s.collision_dynamics || (request.groups & kGroupStationary))
      s.channel = core::make_collision_channel(s.model);
    if (s.gksl_dynamics || (request.groups & kGroupGksl))
      s.generator = core::make_gksl_generator(s.model);
    s.flags = p.omega_s == 0.0 ? core::kBetaEffZeroOmega : 0u;
    out.sample_counts[i] = 0;
    return s;
  }

  /// Series and the decomposition of Sigma need every collision stepped.
  QCM_HD bool stepping() const {
    return request.series_every > 0 || (request.groups & kGroupDecomposition) != 0;
  }

  /// The steady-state groups, then the flags: the last outputs of a point.
  /// Not evolved ("evolve": false): the final and decomposition groups are null.
  QCM_HD void finish(std::size_t i, PointSetup& s) const {
    const core::PointParams& p = params[i];
    if (request.groups & kGroupStationary) s.flags |= stationary(s.channel, p, i);
    if (request.groups & kGroupGksl) s.flags |= gksl(s.model, s.generator, p, i);
    const bool evolved = s.collision_dynamics || s.gksl_dynamics;
    write_nulls(s.flags, evolved ? 0u : std::uint32_t{kGroupFinal | kGroupDecomposition},
                out.shape.columns, store(i));
    out.flags[i] = s.flags;
  }

  /// Every output of point i.
  QCM_HD void operator()(std::size_t i) const {
    PointSetup s = setup(i);
    const core::PointParams& p = params[i];
    if (s.gksl_dynamics) {
      s.flags |= evolve_gksl(p, s.model, s.generator, i);
    } else if (s.collision_dynamics && stepping()) {
      const core::CollisionChannel<T> channels[1] = {s.channel};
      evolve_stepping<1>(channels, i);
    } else if (s.collision_dynamics) {
      evolve_closed_form(s.channel, p, i);
    }
    finish(i, s);
  }

  /// Every output of the L points i0, ..., i0 + L - 1 (the cpu launcher's
  /// unit): when all of them are stepped collision by collision for the same
  /// number of collisions, they are stepped together in lanes (evolve_stepping);
  /// otherwise one after the other.
  template <int L>
  QCM_HD void run_lanes(std::size_t i0) const {
    bool together = request.evolve && stepping();
    for (int l = 0; l < L; ++l) {
      const core::PointParams& p = params[i0 + l];
      together = together && p.dynamics == core::Dynamics::collision &&
                 p.collisions == params[i0].collisions;
    }
    if (!together) {
      for (int l = 0; l < L; ++l) (*this)(i0 + l);
      return;
    }
    PointSetup s[L];
    core::CollisionChannel<T> channels[L];
    for (int l = 0; l < L; ++l) {
      s[l] = setup(i0 + l);
      channels[l] = s[l].channel;
    }
    evolve_stepping<L>(channels, i0);
    for (int l = 0; l < L; ++l) finish(i0 + l, s[l]);
  }

  /// The state columns of Bloch vector r (docs/physics.md §4).
  QCM_HD static StateMeasures<T> state_measures(const T (&r)[3], T omega_s) {
    return {{r[0], r[1], r[2]},
            core::effective_beta(r[2], omega_s),
            core::coherence_l1(r),
            core::ergotropy(r, omega_s)};
  }

  /// The final record of a collision evolution from r0 to r with the given
  /// sums, its last collision `last`.
  QCM_HD static FinalRecord<T> final_record(const core::CollisionChannel<T>& ch, const T (&r0)[3],
                                            const T (&r)[3], T work, T heat, T entropy_production,
                                            const core::CollisionRecord<T>& last) {
    return {state_measures(r, ch.omega_s),
            work,
            heat,
            ch.omega_s * (r[2] - r0[2]) / T(2),
            core::qubit_entropy(r) - core::qubit_entropy(r0),
            entropy_production,
            {last.work / ch.dt, last.heat / ch.dt, last.entropy_production / ch.dt}};
  }

  /// The affine map (or functional) `member` of L channels as one map whose
  /// coefficients are lane vectors: the same formulas then step all L points.
  template <typename V, int L>
  QCM_HD static core::AffineBlochMap<V> lanes_of(
      const core::CollisionChannel<T> (&channel)[L],
      core::AffineBlochMap<T> core::CollisionChannel<T>::*member) {
    core::AffineBlochMap<V> lanes;
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b)
        lanes.m[a][b] = core::lanes_from<V>([&](int l) { return (channel[l].*member).m[a][b]; });
      lanes.c[a] = core::lanes_from<V>([&](int l) { return (channel[l].*member).c[a]; });
    }
    return lanes;
  }
  template <typename V, int L>
  QCM_HD static core::AffineFunctional<V> lanes_of(
      const core::CollisionChannel<T> (&channel)[L],
      core::AffineFunctional<T> core::CollisionChannel<T>::*member) {
    core::AffineFunctional<V> lanes;
    lanes.c0 = core::lanes_from<V>([&](int l) { return (channel[l].*member).c0; });
    for (int a = 0; a < 3; ++a)
      lanes.c[a] = core::lanes_from<V>([&](int l) { return (channel[l].*member).c[a]; });
    return lanes;
  }

  /// Collision by collision (series, decomposition of Sigma), for the L
  /// points i0, ..., i0 + L - 1, which have the same number of collisions, so
  /// that every branch below is taken by all of them together. Each quantity
  /// is a lane vector of the L points' values (qcm/core/lanes.hpp): on the cpu
  /// (the launcher's kCpuLanes) every statement is a SIMD instruction, the two
  /// logarithms of each entropy included, and the L independent recurrences
  /// hide each other's latency. A GPU thread steps one point: with L = 1 the
  /// lane vectors are scalars and this is the plain scalar loop.
  template <int L>
  QCM_HD void evolve_stepping(const core::CollisionChannel<T> (&channel)[L], std::size_t i0) const {
    using V = core::LaneVector<T, L>;
    // The lanes' coefficients (locals: the series stores go through pointers
    // that the compiler cannot tell apart from `channel`, and it would reload
    // every coefficient after each of them).
    const core::AffineBlochMap<V> system = lanes_of<V>(channel, &core::CollisionChannel<T>::system);
    const core::AffineBlochMap<V> ancilla_map =
        lanes_of<V>(channel, &core::CollisionChannel<T>::ancilla);
    const core::AffineFunctional<V> work_of =
        lanes_of<V>(channel, &core::CollisionChannel<T>::work);
    const core::AffineFunctional<V> heat_of =
        lanes_of<V>(channel, &core::CollisionChannel<T>::heat);
    V r0[3];
    for (int a = 0; a < 3; ++a)
      r0[a] = core::lanes_from<V>([&](int l) { return T(params[i0 + l].bloch0[a]); });
    const V beta = core::lanes_from<V>([&](int l) { return channel[l].beta; });
    const V heat_tolerance =
        core::lanes_from<V>([&](int l) { return channel[l].heat_zero_tolerance; });
    const V dt = core::lanes_from<V>([&](int l) { return channel[l].dt; });
    // What the decomposition of Sigma needs of the ancilla.
    const core::AncillaReference<V> ancilla{
        core::lanes_from<V>([&](int l) { return channel[l].ancilla_entropy; }),
        core::lanes_from<V>([&](int l) { return channel[l].log_p_e; }),
        core::lanes_from<V>([&](int l) { return channel[l].log_p_g; }),
        core::lanes_from<V>([&](int l) { return channel[l].support_weight_tolerance; })};
    const V inv_dt = T(1) / dt;
    double* series[L];
    for (int l = 0; l < L; ++l) series[l] = first_sample(i0 + l);
    // The lanes' state: Bloch vector, entropy, cumulative sums, the last
    // collision's record, and max |Q_k| (Sigma at beta = +-inf needs to know
    // whether some Q_k was above rounding).
    V r[3];
    const V zero = core::splat<V>(T(0));
    for (int a = 0; a < 3; ++a) r[a] = r0[a];
    const V s0 = core::qubit_entropy(r0);
    V s = s0, work = zero, heat = zero, sigma = zero, mutual = zero, relative = zero;
    V last_work = zero, last_heat = zero, last_delta_entropy = zero, last_sigma = zero;
    V max_abs_heat = zero;
    const bool decompose = (request.groups & kGroupDecomposition) != 0;
    const std::int64_t every = request.series_every;
    const std::int64_t n = params[i0].collisions;
    // The entropy of every state is needed for the decomposition and for a
    // sample at every collision; otherwise only around the samples, because the
    // cumulative Sigma telescopes to S(rho_k) - S(rho_0) + beta Q.
    const bool entropy_every_step = decompose || every == 1;
    SampleClock clock(every, n);
    std::int64_t sample = 0;
    for (std::int64_t k = 1; k <= n; ++k) {
      // One collision: W_k and Q_k from the state before it, then r_{k+1} = M r_k + c.
      last_work = work_of(r);
      last_heat = heat_of(r);
      V next[3];
      system.apply(r, next);
      work += last_work;
      heat += last_heat;
      const V abs_heat = core::lane_abs(last_heat);
      max_abs_heat = core::lane_select(abs_heat > max_abs_heat, abs_heat, max_abs_heat);
      const V length_squared = next[0] * next[0] + next[1] * next[1] + next[2] * next[2];
      // Rare: rounding carried a state past the Bloch sphere (tested first,
      // so that the square root is taken only then).
      if (core::any_lane(length_squared > core::splat<V>(T(1)))) core::clamp_to_bloch_ball(next);
      const bool sample_here = clock.tick(k);
      if (entropy_every_step) {
        const V s_next = core::qubit_entropy(next);
        last_delta_entropy = s_next - s;
        last_sigma = core::entropy_production_rule(beta, last_delta_entropy, last_heat,
                                                   abs_heat > heat_tolerance);
        sigma += last_sigma;
        if (decompose) {
          V ancilla_after[3];
          ancilla_map.apply(r, ancilla_after);
          V mi, d;
          core::entropy_production_terms(ancilla_after, s, s_next, ancilla, mi, d);
          mutual += mi;
          relative += d;
        }
        s = s_next;
      } else if (sample_here) {
        s = core::qubit_entropy(next);
        last_delta_entropy = s - core::qubit_entropy(r);
        last_sigma = core::entropy_production_rule(beta, last_delta_entropy, last_heat,
                                                   abs_heat > heat_tolerance);
        // Sigma telescopes; at beta = +-inf every Q_k has the sign of beta (the
        // ancilla is pure), so the sum is +inf as soon as one Q_k is not zero.
        sigma = core::entropy_production_rule(beta, s - s0, heat, max_abs_heat > heat_tolerance);
      }
      for (int a = 0; a < 3; ++a) r[a] = next[a];
      if (sample_here) {
        const SampleRecord<V> record{core::splat<V>(T(k)),
                                     core::splat<V>(T(k)) * dt,
                                     {r[0], r[1], r[2]},
                                     {last_work * inv_dt, last_heat * inv_dt, last_sigma * inv_dt},
                                     work,
                                     heat,
                                     sigma};
        V columns[kQubitSeriesColumnCount];
        sample_columns(record, columns);
        const std::size_t offset = static_cast<std::size_t>(sample) * out.shape.stride_sample;
        for (int l = 0; l < L; ++l) put_sample(series[l] + offset, columns, l);
        ++sample;
      }
    }
    for (int l = 0; l < L; ++l) {
      const std::size_t i = i0 + l;
      const T start[3] = {core::lane_get(r0[0], l), core::lane_get(r0[1], l),
                          core::lane_get(r0[2], l)};
      const T end[3] = {core::lane_get(r[0], l), core::lane_get(r[1], l), core::lane_get(r[2], l)};
      const core::CollisionRecord<T> last{
          core::lane_get(last_work, l), core::lane_get(last_heat, l),
          core::lane_get(last_delta_entropy, l), core::lane_get(last_sigma, l)};
      out.sample_counts[i] = sample;
      write_final(final_record(channel[l], start, end, core::lane_get(work, l),
                               core::lane_get(heat, l), core::lane_get(sigma, l), last),
                  store(i));
      if (decompose)
        write_decomposition(core::lane_get(mutual, l), core::lane_get(relative, l), store(i));
    }
  }

  /// Final-only outputs in O(log n): see qcm/core/affine_power.hpp.
  QCM_HD void evolve_closed_form(const core::CollisionChannel<T>& ch, const core::PointParams& p,
                                 std::size_t i) const {
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    const core::AffineOrbit<T> orbit = core::affine_orbit(ch.system, r0, p.collisions);
    const T n = T(p.collisions);
    const T work = n * ch.work.c0 + ch.work.c[0] * orbit.r_sum[0] + ch.work.c[1] * orbit.r_sum[1] +
                   ch.work.c[2] * orbit.r_sum[2];
    const T heat = n * ch.heat.c0 + ch.heat.c[0] * orbit.r_sum[0] + ch.heat.c[1] * orbit.r_sum[1] +
                   ch.heat.c[2] * orbit.r_sum[2];
    const T delta_entropy = core::qubit_entropy(orbit.r_last) - core::qubit_entropy(r0);
    // Sigma telescopes: sum_k (Delta S_k + beta Q_k) = S(rho_n) - S(rho_0) + beta Q.
    // At beta = +-inf every Q_k has the sign of beta (the ancilla is pure), so
    // the sum of the Q_k vanishes only if every one does.
    const T sigma =
        entropy_production_rate(ch.beta, delta_entropy, heat, n * ch.heat_zero_tolerance);
    T r_last[3] = {orbit.r_before_last[0], orbit.r_before_last[1], orbit.r_before_last[2]};
    T s = core::qubit_entropy(r_last);
    const core::CollisionRecord<T> last = core::collide(ch, r_last, s);
    write_final(final_record(ch, r0, orbit.r_last, work, heat, sigma, last), store(i));
  }

  /// Fixed point of the collision map (docs/physics.md §4).
  QCM_HD std::uint32_t stationary(const core::CollisionChannel<T>& ch, const core::PointParams& p,
                                  std::size_t i) const {
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    const core::SteadyState<T> st = core::collision_fixed_point(ch.system, r0);
    write_dimension<kGroupStationary>(T(st.dimension), store(i));
    if (st.oscillates) return core::kStationaryOscillates;
    T r[3] = {st.r[0], st.r[1], st.r[2]};
    T s = core::qubit_entropy(r);
    const core::CollisionRecord<T> rec = core::collide(ch, r, s);
    write_steady_state<kGroupStationary>(
        state_measures(st.r, ch.omega_s),
        Rates<T>{rec.work / ch.dt, rec.heat / ch.dt, rec.entropy_production / ch.dt}, store(i));
    put(kStatRelaxationCollisions, i,
        st.slowest_modulus > T(0) ? T(-1) / std::log(st.slowest_modulus) : T(0));
    return 0u;
  }

  /// Why the GKSL limit does not exist for this point (0 if it does).
  QCM_HD std::uint32_t gksl_missing(const core::PointParams& p,
                                    const core::GkslGenerator<T>& gen) const {
    if (p.scaling == core::Scaling::fixed) return core::kGkslFixedScaling;
    if (gen.odd_moment) return core::kGkslOddMoment;
    return 0u;
  }

  /// sigma = dS/dt + beta Qdot (or Delta S + beta Q), heat counted as nonzero above `tolerance`.
  QCM_HD static T entropy_production_rate(T beta, T entropy_rate, T heat_rate, T tolerance) {
    return core::entropy_production_rule(beta, entropy_rate, heat_rate,
                                         std::fabs(heat_rate) > tolerance);
  }

  /// The currents of the GKSL limit in state r: Wdot, Qdot and sigma = dS/dt + beta Qdot
  /// (dS/dt = 0 in a steady state).
  QCM_HD static Rates<T> gksl_rates(const core::QubitModel<T>& model,
                                    const core::GkslGenerator<T>& gen, const T (&r)[3],
                                    bool steady) {
    const T heat_rate = gen.heat(r);
    return {gen.work(r), heat_rate,
            entropy_production_rate(model.beta, steady ? T(0) : entropy_rate(gen, r), heat_rate,
                                    gen.heat_rate_tolerance)};
  }

  /// Kernel of the GKSL generator (docs/physics.md §5).
  QCM_HD std::uint32_t gksl(const core::QubitModel<T>& model, const core::GkslGenerator<T>& gen,
                            const core::PointParams& p, std::size_t i) const {
    if (const std::uint32_t missing = gksl_missing(p, gen)) return missing;
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    const core::SteadyState<T> st = core::gksl_steady_state(gen.flow, r0);
    write_dimension<kGroupGksl>(T(st.dimension), store(i));
    if (st.oscillates) return core::kGkslOscillates;
    write_steady_state<kGroupGksl>(state_measures(st.r, model.omega_s),
                                   gksl_rates(model, gen, st.r, true), store(i));
    return 0u;
  }

  /// The GKSL equation integrated exactly: x(t) = e^{Lt} x0, and the integrals
  /// of the currents from F = int e^{Ls} ds (qcm/core/real_expm.hpp).
  QCM_HD std::uint32_t evolve_gksl(const core::PointParams& p, const core::QubitModel<T>& model,
                                   const core::GkslGenerator<T>& gen, std::size_t i) const {
    const std::uint32_t decomposition =
        (request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u;
    if (gksl_missing(p, gen)) return core::kGkslDynamicsUndefined | decomposition;
    Mat4 l = core::augmented(gen.flow);
    l[3][3] = T(0);
    const T dt = model.dt;
    const std::int64_t n = p.collisions;
    const std::int64_t every = request.series_every;
    // Without a series one step of length n dt suffices.
    const T step = every > 0 ? dt : dt * T(n);
    const std::int64_t steps = every > 0 ? n : 1;
    Mat4 e, f;
    core::expm_and_integral(l, step, e, f);
    core::Vec<T, 4> x{{T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2]), T(1)}};
    const T r0[3] = {x[0], x[1], x[2]};
    const T s0 = core::qubit_entropy(r0);
    // The cumulative heat's rounding grows with the time integrated over.
    const auto cumulative_sigma = [&](T delta_entropy, T heat, T t) {
      return entropy_production_rate(model.beta, delta_entropy, heat, gen.heat_rate_tolerance * t);
    };
    T work = 0, heat = 0;
    std::int64_t sample = 0;
    SampleClock clock(every, n);
    for (std::int64_t k = 1; k <= steps; ++k) {
      const core::Vec<T, 4> integral = f * x;
      const T r_int[3] = {integral[0], integral[1], integral[2]};
      work += gen.work.c0 * integral[3] + gen.work.c[0] * r_int[0] + gen.work.c[1] * r_int[1] +
              gen.work.c[2] * r_int[2];
      heat += gen.heat.c0 * integral[3] + gen.heat.c[0] * r_int[0] + gen.heat.c[1] * r_int[1] +
              gen.heat.c[2] * r_int[2];
      x = e * x;
      {
        T r_now[3] = {x[0], x[1], x[2]};
        core::clamp_to_bloch_ball(r_now);
        for (int c = 0; c < 3; ++c) x[c] = r_now[c];
      }
      if (clock.tick(k)) {
        const T r[3] = {x[0], x[1], x[2]};
        const T t = T(k) * dt;
        const SampleRecord<T> record{T(k),
                                     t,
                                     {r[0], r[1], r[2]},
                                     gksl_rates(model, gen, r, false),
                                     work,
                                     heat,
                                     cumulative_sigma(core::qubit_entropy(r) - s0, heat, t)};
        T columns[kQubitSeriesColumnCount];
        sample_columns(record, columns);
        put_sample(first_sample(i) + static_cast<std::size_t>(sample) * out.shape.stride_sample,
                   columns, 0);
        ++sample;
      }
    }
    out.sample_counts[i] = sample;
    const T r[3] = {x[0], x[1], x[2]};
    const T delta_entropy = core::qubit_entropy(r) - s0;
    write_final(FinalRecord<T>{state_measures(r, model.omega_s), work, heat,
                               model.omega_s * (r[2] - r0[2]) / T(2), delta_entropy,
                               cumulative_sigma(delta_entropy, heat, dt * T(n)),
                               gksl_rates(model, gen, r, false)},
                store(i));
    return decomposition;
  }

  /// dS/dt = dS/d|r| (r . dr/dt) / |r| with dS/d|r| = -atanh|r|.
  QCM_HD static T entropy_rate(const core::GkslGenerator<T>& gen, const T (&r)[3]) {
    const T len = core::bloch_length(r);
    if (len <= T(0)) return T(0);
    T drdt[3];
    gen.flow.apply(r, drdt);
    const T radial = (r[0] * drdt[0] + r[1] * drdt[1] + r[2] * drdt[2]) / len;
    if (len >= T(1)) {
      // A pure state: entropy is produced only if the flow really points
      // inwards, not by a radial velocity at rounding level (unitary flow).
      T scale = T(0);
      for (int a = 0; a < 3; ++a) {
        scale = std::fmax(scale, std::fabs(gen.flow.c[a]));
        for (int b = 0; b < 3; ++b) scale = std::fmax(scale, std::fabs(gen.flow.m[a][b]));
      }
      return radial < -core::Tolerances<T>::rate_zero(scale) ? T(INFINITY) : T(0);
    }
    return -std::atanh(len) * radial;
  }
};

}  // namespace qcm::kernels
