// @file public API: the records through which every engine writes its results.
//
// Each engine (the kernels in their working precision, the reference engine
// in double) computes a record in its own way; the writers below are the one
// place that puts a record's fields into result columns (found in
// kColumnTable by group and quantity). `put(column, element, value)` is the
// engine's store (element 0 for scalar columns). Device-safe.
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

/// The state columns of a group in the general form (docs/physics.md §4):
/// `populations` points to `levels` numbers (the state in the energy
/// eigenbasis, ascending energy); beta_eff is written only for two levels.
template <typename T>
struct GeneralStateMeasures {
  T energy;
  T purity;
  T entropy;
  const T* populations;
  int levels;
  T coherence_l1;
  T ergotropy;
  T beta_eff;
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
template <typename T, typename State = StateMeasures<T>>
struct FinalRecord {
  State state;
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
  put(kColumn<G, Quantity::bloch_x>, 0, s.bloch[0]);
  put(kColumn<G, Quantity::bloch_y>, 0, s.bloch[1]);
  put(kColumn<G, Quantity::bloch_z>, 0, s.bloch[2]);
  put(kColumn<G, Quantity::beta_eff>, 0, s.beta_eff);
  put(kColumn<G, Quantity::coherence_l1>, 0, s.coherence_l1);
  put(kColumn<G, Quantity::ergotropy>, 0, s.ergotropy);
}

template <Group G, typename T, typename Put>
QCM_HD void write_state(const GeneralStateMeasures<T>& s, Put&& put) {
  using record_detail::kColumn;
  put(kColumn<G, Quantity::energy>, 0, s.energy);
  put(kColumn<G, Quantity::purity>, 0, s.purity);
  put(kColumn<G, Quantity::entropy>, 0, s.entropy);
  for (int e = 0; e < s.levels; ++e) put(kColumn<G, Quantity::populations>, e, s.populations[e]);
  put(kColumn<G, Quantity::coherence_l1>, 0, s.coherence_l1);
  put(kColumn<G, Quantity::ergotropy>, 0, s.ergotropy);
  if (s.levels == 2) put(kColumn<G, Quantity::beta_eff>, 0, s.beta_eff);
}

template <Group G, typename T, typename Put>
QCM_HD void write_rates(const Rates<T>& r, Put&& put) {
  using record_detail::kColumn;
  put(kColumn<G, Quantity::work_rate>, 0, r.work);
  put(kColumn<G, Quantity::heat_rate>, 0, r.heat);
  put(kColumn<G, Quantity::entropy_production_rate>, 0, r.entropy_production);
}

template <typename T, typename State, typename Put>
QCM_HD void write_final(const FinalRecord<T, State>& f, Put&& put) {
  write_state<kGroupFinal>(f.state, put);
  put(kWork, 0, f.work);
  put(kHeat, 0, f.heat);
  put(kDeltaEnergy, 0, f.delta_energy);
  put(kDeltaEntropy, 0, f.delta_entropy);
  put(kEntropyProduction, 0, f.entropy_production);
  write_rates<kGroupFinal>(f.rates, put);
}

/// A steady state (stationary or gksl group): its state and currents.
template <Group G, typename T, typename State, typename Put>
QCM_HD void write_steady_state(const State& state, const Rates<T>& rates, Put&& put) {
  write_state<G>(state, put);
  write_rates<G>(rates, put);
}

template <Group G, typename T, typename Put>
QCM_HD void write_dimension(T dimension, Put&& put) {
  put(record_detail::kColumn<G, Quantity::dimension>, 0, dimension);
}

template <typename T, typename Put>
QCM_HD void write_decomposition(T mutual_information, T ancilla_relative_entropy, Put&& put) {
  put(kMutualInformation, 0, mutual_information);
  put(kAncillaRelativeEntropy, 0, ancilla_relative_entropy);
}

/// A qubit-form sample's values in series-column order.
template <typename V>
QCM_HD void sample_columns(const SampleRecord<V>& s, V (&columns)[kQubitSeriesColumnCount]) {
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

/// The density matrix (group `state`): d x d complex, row-major (re, im).
template <typename Re, typename Im, typename Put>
QCM_HD void write_rho(int d, Re&& re, Im&& im, Put&& put) {
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      put(kRho, 2 * (i * d + j), re(i, j));
      put(kRho, 2 * (i * d + j) + 1, im(i, j));
    }
}

/// One series sample of the general form.
template <typename T>
struct GeneralSampleRecord {
  T k, t;
  T energy, purity, entropy;
  const T* populations;
  int levels;
  Rates<T> rates;                    ///< of the collision that produced the sampled state
  T work, heat, entropy_production;  ///< cumulative
};

/// `put(series_column, element, value)` for every number of a general sample.
template <typename T, typename Put>
QCM_HD void write_sample(const GeneralSampleRecord<T>& s, Put&& put) {
  put(kSeriesK, 0, s.k);
  put(kSeriesT, 0, s.t);
  put(kSeriesEnergy, 0, s.energy);
  put(kSeriesPurity, 0, s.purity);
  put(kSeriesEntropy, 0, s.entropy);
  for (int e = 0; e < s.levels; ++e) put(kSeriesPopulations, e, s.populations[e]);
  put(kSeriesWorkRate, 0, s.rates.work);
  put(kSeriesHeatRate, 0, s.rates.heat);
  put(kSeriesEntropyProductionRate, 0, s.rates.entropy_production);
  put(kSeriesWork, 0, s.work);
  put(kSeriesHeat, 0, s.heat);
  put(kSeriesEntropyProduction, 0, s.entropy_production);
}

/// NaN in every element of every column of `layout` that `flags` null
/// (kColumnTable's nulled_by), and of every column of `groups`: the last
/// write of each point, in every engine.
template <typename Put>
QCM_HD void write_nulls(std::uint32_t flags, std::uint32_t groups, const ColumnLayout& layout,
                        Put&& put) {
  const auto null_column = [&](int c) {
    for (int e = 0; e < layout.width[c]; ++e) put(c, e, NAN);
  };
  for_each_nulled_column(flags, null_column);
  if (groups == 0) return;
  constexpr std::array<ColumnInfo, kColumnCount> table = column_detail::table_copy();
  for (int c = 0; c < kColumnCount; ++c)
    if (groups & table[c].group) null_column(c);
}

}  // namespace qcm
