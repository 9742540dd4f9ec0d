// @file public API: the records through which every engine writes its results.
//
// Each engine (the kernels in their working precision, the reference engine
// in double) computes a record in its own way; the writers below are the one
// place that puts a record's fields into result columns (found in
// kColumnTable by group and quantity). `put(column, value)` is the engine's
// store. Device-safe.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "qcm/columns.hpp"
#include "qcm/core/config.hpp"

namespace qcm {

/// The state columns of a group (docs/physics.md §4).
template <typename T>
struct StateMeasures {
  T bloch[3];
  T beta_eff;
  T coherence_l1;
  T ergotropy;
};

/// Work, heat and entropy production per unit time.
template <typename T>
struct Rates {
  T work;
  T heat;
  T entropy_production;
};

/// The final group: the state after the evolution, the sums over it and the
/// rates at its end (docs/results.md).
template <typename T>
struct FinalRecord {
  StateMeasures<T> state;
  T work, heat, delta_energy, delta_entropy, entropy_production;
  Rates<T> rates;
};

/// One series sample (scalars, or lane vectors of several points' samples).
template <typename V>
struct SampleRecord {
  V k, t;
  V bloch[3];
  Rates<V> rates;                    ///< of the collision that produced the sampled state
  V work, heat, entropy_production;  ///< cumulative
};

namespace record_detail {
template <Group G, Quantity Q>
inline constexpr int kColumn = column_of(G, Q);
}  // namespace record_detail

template <Group G, typename T, typename Put>
QCM_HD void write_state(const StateMeasures<T>& s, Put&& put) {
  using record_detail::kColumn;
  put(kColumn<G, Quantity::bloch_x>, s.bloch[0]);
  put(kColumn<G, Quantity::bloch_y>, s.bloch[1]);
  put(kColumn<G, Quantity::bloch_z>, s.bloch[2]);
  put(kColumn<G, Quantity::beta_eff>, s.beta_eff);
  put(kColumn<G, Quantity::coherence_l1>, s.coherence_l1);
  put(kColumn<G, Quantity::ergotropy>, s.ergotropy);
}

template <Group G, typename T, typename Put>
QCM_HD void write_rates(const Rates<T>& r, Put&& put) {
  using record_detail::kColumn;
  put(kColumn<G, Quantity::work_rate>, r.work);
  put(kColumn<G, Quantity::heat_rate>, r.heat);
  put(kColumn<G, Quantity::entropy_production_rate>, r.entropy_production);
}

template <typename T, typename Put>
QCM_HD void write_final(const FinalRecord<T>& f, Put&& put) {
  write_state<kGroupFinal>(f.state, put);
  put(kWork, f.work);
  put(kHeat, f.heat);
  put(kDeltaEnergy, f.delta_energy);
  put(kDeltaEntropy, f.delta_entropy);
  put(kEntropyProduction, f.entropy_production);
  write_rates<kGroupFinal>(f.rates, put);
}

/// A steady state (stationary or gksl group): its state and currents.
template <Group G, typename T, typename Put>
QCM_HD void write_steady_state(const StateMeasures<T>& state, const Rates<T>& rates, Put&& put) {
  write_state<G>(state, put);
  write_rates<G>(rates, put);
}

template <Group G, typename T, typename Put>
QCM_HD void write_dimension(T dimension, Put&& put) {
  put(record_detail::kColumn<G, Quantity::dimension>, dimension);
}

template <typename T, typename Put>
QCM_HD void write_decomposition(T mutual_information, T ancilla_relative_entropy, Put&& put) {
  put(kMutualInformation, mutual_information);
  put(kAncillaRelativeEntropy, ancilla_relative_entropy);
}

/// A sample's values in series-column order.
template <typename V>
QCM_HD void sample_columns(const SampleRecord<V>& s, V (&columns)[kSeriesColumnCount]) {
  columns[kSeriesK] = s.k;
  columns[kSeriesT] = s.t;
  columns[kSeriesBlochX] = s.bloch[0];
  columns[kSeriesBlochY] = s.bloch[1];
  columns[kSeriesBlochZ] = s.bloch[2];
  columns[kSeriesWorkRate] = s.rates.work;
  columns[kSeriesHeatRate] = s.rates.heat;
  columns[kSeriesEntropyProductionRate] = s.rates.entropy_production;
  columns[kSeriesWork] = s.work;
  columns[kSeriesHeat] = s.heat;
  columns[kSeriesEntropyProduction] = s.entropy_production;
}

/// NaN in every column that `flags` null (kColumnTable's nulled_by), and in
/// every column of `groups`: the last write of each point, in every engine.
template <typename Put>
QCM_HD void write_nulls(std::uint32_t flags, std::uint32_t groups, Put&& put) {
  for_each_nulled_column(flags, [&](int c) { put(c, NAN); });
  if (groups == 0) return;
  constexpr std::array<GroupRange, kGroups.size()> ranges = kGroups;  // a copy the device can read
  for (const GroupRange& g : ranges)
    if (groups & g.group)
      for (int c = g.first; c < g.last; ++c) put(c, NAN);
}

}  // namespace qcm
