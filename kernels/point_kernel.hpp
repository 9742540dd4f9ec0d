// @file kernels layer: the per-point functor, written once for every backend.
//
// One thread per parameter point; all per-point state lives in registers. The
// same code is compiled as C++ (OpenMP launcher, backend `cpu`) and as CUDA
// (grid-stride launcher, backend `cuda`); see kernels/launch.hpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#if !defined(__CUDA_ARCH__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "qcm/columns.hpp"
#include "qcm/core/affine_power.hpp"
#include "qcm/core/channel.hpp"
#include "qcm/core/point.hpp"
#include "qcm/core/real_expm.hpp"
#include "qcm/core/steady_state.hpp"

namespace qcm::kernels {

/// Where a chunk's results go: the ChunkResult layout of qcm/result.hpp, as raw
/// pointers (host memory for `cpu`, device memory for `cuda`).
struct KernelOutputs {
  std::size_t points = 0;
  double* values = nullptr;               ///< [column][point]
  std::uint32_t* flags = nullptr;         ///< [point]
  std::int64_t* sample_counts = nullptr;  ///< [point]
  double* series = nullptr;               ///< addressed with the strides below (SeriesLayout)
  std::int64_t max_samples = 0;
  std::size_t stride_sample = 0, stride_column = 0, stride_point = 0;
};

/// What the functor computes (a device-copyable subset of RunRequest).
struct KernelRequest {
  std::uint32_t groups = 0;
  std::int64_t series_every = 0;
  bool evolve = true;
};

template <typename T>
struct PointKernel {
  using Mat4 = core::Mat<T, 4>;

  const core::PointParams* params;
  KernelRequest request;
  KernelOutputs out;

  QCM_HD void put(int column, std::size_t i, T value) const {
    out.values[static_cast<std::size_t>(column) * out.points + i] = static_cast<double>(value);
  }
  /// Store one series sample (kSeriesColumnCount values) of point i.
  QCM_HD void put_sample(std::int64_t s, std::size_t i,
                         const T (&values)[kSeriesColumnCount]) const {
    double* base =
        out.series + static_cast<std::size_t>(s) * out.stride_sample + i * out.stride_point;
#if !defined(__CUDA_ARCH__) && defined(__SSE2__)
    // The cpu backend lays a point's samples out contiguously (point-major):
    // constant offsets, and non-temporal stores, since the series is written
    // once and read only after the chunk (no read-for-ownership of each line;
    // ordered by the fence in the launcher).
    if (out.stride_column == 1) {
      for (int c = 0; c < kSeriesColumnCount; ++c) {
        const double d = static_cast<double>(values[c]);
        long long bits;
        __builtin_memcpy(&bits, &d, sizeof bits);
        _mm_stream_si64(reinterpret_cast<long long*>(base + c), bits);
      }
      return;
    }
#endif
    for (int c = 0; c < kSeriesColumnCount; ++c)
      base[static_cast<std::size_t>(c) * out.stride_column] = static_cast<double>(values[c]);
  }

  QCM_HD void operator()(std::size_t i) const {
    const core::PointParams& p = params[i];
    const core::QubitModel<T> model = core::make_qubit_model<T>(p);
    const bool collision_dynamics = request.evolve && p.dynamics == core::Dynamics::collision;
    const bool gksl_dynamics = request.evolve && p.dynamics == core::Dynamics::gksl;
    // Derive the channel and the generator once each, and only when used.
    core::CollisionChannel<T> channel;
    if (collision_dynamics || (request.groups & kGroupStationary))
      channel = core::make_collision_channel(model);
    core::GkslGenerator<T> generator;
    if (gksl_dynamics || (request.groups & kGroupGksl))
      generator = core::make_gksl_generator(model);
    std::uint32_t flags = p.omega_s == 0.0 ? core::kBetaEffZeroOmega : 0u;
    out.sample_counts[i] = 0;
    const bool stepping = request.series_every > 0 || (request.groups & kGroupDecomposition) != 0;
    if (gksl_dynamics) {
      flags |= evolve_gksl(p, model, generator, i);
    } else if (collision_dynamics && stepping) {
      evolve_stepping(channel, p, i);
    } else if (collision_dynamics) {
      evolve_closed_form(channel, p, i);
    } else {
      put_nan(kBlochX, kStatBlochX, i);
      put_nan(kMutualInformation, kColumnCount, i);
    }
    if (request.groups & kGroupStationary) flags |= stationary(channel, p, i);
    if (request.groups & kGroupGksl) flags |= gksl(model, generator, p, i);
    out.flags[i] = flags;
  }

  QCM_HD void put_state(int first_column, std::size_t i, const T (&r)[3], T omega_s) const {
    put(first_column + 0, i, r[0]);
    put(first_column + 1, i, r[1]);
    put(first_column + 2, i, r[2]);
    put(first_column + 3, i, core::effective_beta(r[2], omega_s));
    put(first_column + 4, i, core::coherence_l1(r));
    put(first_column + 5, i, core::ergotropy(r, omega_s));
  }

  QCM_HD void put_final(std::size_t i, const core::CollisionChannel<T>& ch, const T (&r0)[3],
                        const T (&r)[3], T work, T heat, T entropy_production,
                        const core::CollisionRecord<T>& last) const {
    put_state(kBlochX, i, r, ch.omega_s);
    put(kWork, i, work);
    put(kHeat, i, heat);
    put(kDeltaEnergy, i, ch.omega_s * (r[2] - r0[2]) / T(2));
    put(kDeltaEntropy, i, core::qubit_entropy(r) - core::qubit_entropy(r0));
    put(kEntropyProduction, i, entropy_production);
    put(kWorkRate, i, last.work / ch.dt);
    put(kHeatRate, i, last.heat / ch.dt);
    put(kEntropyProductionRate, i, last.entropy_production / ch.dt);
  }

  /// Collisions stepped per block. On the CPU the Bloch vectors of a block are
  /// computed first (a short dependent chain of 3x3 products) and their
  /// entropies after, in a loop of independent library calls: keeping the
  /// logarithms out of the recurrence lets them overlap (about 1.3x faster
  /// than interleaving). A GPU thread has no such out-of-order window and
  /// would only spill the block to local memory, so it steps one at a time.
#if defined(__CUDA_ARCH__)
  static constexpr int kStepBlock = 1;
#else
  static constexpr int kStepBlock = 16;
#endif

  /// Collision by collision: needed for series and for the decomposition of Sigma.
  QCM_HD void evolve_stepping(const core::CollisionChannel<T>& channel, const core::PointParams& p,
                              std::size_t i) const {
    // A local copy: the series stores go through pointers that the compiler
    // cannot tell apart from `channel`, so it would reload every coefficient
    // at every collision (measured: 10-15 % of the step on the cpu).
    const core::CollisionChannel<T> ch = channel;
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    T r[3] = {r0[0], r0[1], r0[2]};
    const T s0 = core::qubit_entropy(r);
    T s = s0;
    T work = 0, heat = 0, sigma = 0, mutual = 0, relative = 0;
    bool any_heat = false;  // some |Q_k| above rounding (decides Sigma at beta = +-inf)
    const bool decompose = (request.groups & kGroupDecomposition) != 0;
    const std::int64_t every = request.series_every;
    const std::int64_t n = p.collisions;
    // The entropy of every state is needed for the decomposition and for a
    // sample at every collision; otherwise only around the samples, because the
    // cumulative Sigma telescopes to S(rho_k) - S(rho_0) + beta Q.
    const bool entropy_every_step = decompose || every == 1;
    std::int64_t until_sample = every;
    std::int64_t sample = 0;
    core::CollisionRecord<T> last{};
    const T inv_dt = T(1) / ch.dt;
    for (std::int64_t k0 = 0; k0 < n; k0 += kStepBlock) {
      const int block = n - k0 < kStepBlock ? static_cast<int>(n - k0) : kStepBlock;
      T states[kStepBlock][3], works[kStepBlock], heats[kStepBlock], entropies[kStepBlock];
      const T block_start[3] = {r[0], r[1], r[2]};
      for (int j = 0; j < block; ++j) {  // the recurrence r_{k+1} = M r_k + c
        works[j] = ch.work(r);
        heats[j] = ch.heat(r);
        ch.system.apply(r, states[j]);
        core::clamp_to_bloch_ball(states[j]);
        for (int c = 0; c < 3; ++c) r[c] = states[j][c];
      }
      if (entropy_every_step) {
        for (int j = 0; j < block; ++j) entropies[j] = core::qubit_entropy(states[j]);
      }
      for (int j = 0; j < block; ++j) {
        const std::int64_t k = k0 + j + 1;
        const T* prev = j > 0 ? states[j - 1] : block_start;
        last.work = works[j];
        last.heat = heats[j];
        work += last.work;
        heat += last.heat;
        any_heat = any_heat || std::fabs(heats[j]) > ch.heat_zero_tolerance;
        const bool sample_here = every > 0 && (--until_sample == 0 || k == n);
        if (entropy_every_step) {
          last.delta_entropy = entropies[j] - s;
          last.entropy_production = core::entropy_production(ch, last.delta_entropy, heats[j]);
          sigma += last.entropy_production;
          if (decompose) {
            const T before[3] = {prev[0], prev[1], prev[2]};
            T mi, d;
            core::entropy_production_terms(ch, before, s, entropies[j], mi, d);
            mutual += mi;
            relative += d;
          }
          s = entropies[j];
        } else if (sample_here) {
          const T before[3] = {prev[0], prev[1], prev[2]};
          s = core::qubit_entropy(states[j]);
          last.delta_entropy = s - core::qubit_entropy(before);
          last.entropy_production = core::entropy_production(ch, last.delta_entropy, heats[j]);
          // Sigma telescopes; at beta = +-inf every Q_k has the sign of beta (the
          // ancilla is pure), so the sum is +inf as soon as one Q_k is not zero.
          sigma = core::entropy_production_rule(ch.beta, s - s0, heat, any_heat);
        }
        if (sample_here) {
          until_sample = every;
          const T values[kSeriesColumnCount] = {T(k),
                                                T(k) * ch.dt,
                                                states[j][0],
                                                states[j][1],
                                                states[j][2],
                                                last.work * inv_dt,
                                                last.heat * inv_dt,
                                                last.entropy_production * inv_dt,
                                                work,
                                                heat,
                                                sigma};
          put_sample(sample, i, values);
          ++sample;
        }
      }
    }
    out.sample_counts[i] = sample;
    put_final(i, ch, r0, r, work, heat, sigma, last);
    put(kMutualInformation, i, decompose ? mutual : T(NAN));
    put(kAncillaRelativeEntropy, i, decompose ? relative : T(NAN));
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
    put_final(i, ch, r0, orbit.r_last, work, heat, sigma, last);
    put(kMutualInformation, i, T(NAN));
    put(kAncillaRelativeEntropy, i, T(NAN));
  }

  QCM_HD void put_nan(int first, int last, std::size_t i) const {
    for (int c = first; c < last; ++c) put(c, i, T(NAN));
  }

  /// Fixed point of the collision map (PHYSICS.md §4).
  QCM_HD std::uint32_t stationary(const core::CollisionChannel<T>& ch, const core::PointParams& p,
                                  std::size_t i) const {
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    const core::SteadyState<T> st = core::collision_fixed_point(ch.system, r0);
    put(kStatDimension, i, T(st.dimension));
    if (st.oscillates) {
      put_nan(kStatBlochX, kStatDimension, i);
      put(kStatRelaxationCollisions, i, T(NAN));
      return core::kStationaryOscillates;
    }
    put_state(kStatBlochX, i, st.r, ch.omega_s);
    T r[3] = {st.r[0], st.r[1], st.r[2]};
    T s = core::qubit_entropy(r);
    const core::CollisionRecord<T> rec = core::collide(ch, r, s);
    put(kStatWorkRate, i, rec.work / ch.dt);
    put(kStatHeatRate, i, rec.heat / ch.dt);
    put(kStatEntropyProductionRate, i, rec.entropy_production / ch.dt);
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

  /// Kernel of the GKSL generator (PHYSICS.md §5).
  QCM_HD std::uint32_t gksl(const core::QubitModel<T>& model, const core::GkslGenerator<T>& gen,
                            const core::PointParams& p, std::size_t i) const {
    if (const std::uint32_t missing = gksl_missing(p, gen)) {
      put_nan(kGkslBlochX, kMutualInformation, i);
      return missing;
    }
    const T r0[3] = {T(p.bloch0[0]), T(p.bloch0[1]), T(p.bloch0[2])};
    const core::SteadyState<T> st = core::gksl_steady_state(gen.flow, r0);
    put(kGkslDimension, i, T(st.dimension));
    if (st.oscillates) {
      put_nan(kGkslBlochX, kGkslDimension, i);
      return core::kGkslOscillates;
    }
    put_state(kGkslBlochX, i, st.r, model.omega_s);
    const T heat_rate = gen.heat(st.r);
    put(kGkslWorkRate, i, gen.work(st.r));
    put(kGkslHeatRate, i, heat_rate);
    // In the steady state dS/dt = 0.
    put(kGkslEntropyProductionRate, i,
        entropy_production_rate(model.beta, T(0), heat_rate, T(64) * core::Epsilon<T>::value));
    return 0u;
  }

  /// The GKSL equation integrated exactly: x(t) = e^{Lt} x0, and the integrals
  /// of the currents from F = int e^{Ls} ds (qcm/core/real_expm.hpp).
  QCM_HD std::uint32_t evolve_gksl(const core::PointParams& p, const core::QubitModel<T>& model,
                                   const core::GkslGenerator<T>& gen, std::size_t i) const {
    put_nan(kMutualInformation, kColumnCount, i);
    if (gksl_missing(p, gen)) {
      put_nan(kBlochX, kStatBlochX, i);
      return core::kGkslDynamicsUndefined |
             ((request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u);
    }
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
    const T tolerance = T(64) * core::Epsilon<T>::value;
    T work = 0, heat = 0;
    std::int64_t sample = 0;
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
      if (every > 0 && (k % every == 0 || k == n)) {
        const T r[3] = {x[0], x[1], x[2]};
        const T s = core::qubit_entropy(r);
        const T heat_rate = gen.heat(r);
        const T values[kSeriesColumnCount] = {
            T(k),
            T(k) * dt,
            r[0],
            r[1],
            r[2],
            gen.work(r),
            heat_rate,
            entropy_production_rate(model.beta, entropy_rate(gen, r), heat_rate, tolerance),
            work,
            heat,
            entropy_production_rate(model.beta, s - s0, heat, tolerance)};
        put_sample(sample, i, values);
        ++sample;
      }
    }
    out.sample_counts[i] = sample;
    const T r[3] = {x[0], x[1], x[2]};
    const T delta_entropy = core::qubit_entropy(r) - s0;
    put_state(kBlochX, i, r, model.omega_s);
    put(kWork, i, work);
    put(kHeat, i, heat);
    put(kDeltaEnergy, i, model.omega_s * (r[2] - r0[2]) / T(2));
    put(kDeltaEntropy, i, delta_entropy);
    put(kEntropyProduction, i, entropy_production_rate(model.beta, delta_entropy, heat, tolerance));
    const T heat_rate = gen.heat(r);
    put(kWorkRate, i, gen.work(r));
    put(kHeatRate, i, heat_rate);
    put(kEntropyProductionRate, i,
        entropy_production_rate(model.beta, entropy_rate(gen, r), heat_rate, tolerance));
    return (request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u;
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
      return radial < -T(64) * core::Epsilon<T>::value * scale ? T(INFINITY) : T(0);
    }
    return -std::atanh(len) * radial;
  }
};

}  // namespace qcm::kernels
