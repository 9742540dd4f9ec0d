// @file public API: the result table's column groups, in their fixed order.
//
// Every backend fills the same slots; the writer emits the requested groups
// in this order after the swept columns (DESIGN.md, "Contract with users").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace qcm {

/// Column slots, all groups. The order inside a group is the published order.
enum Column : int {
  // final: state after the last collision, sums over all collisions, last-collision rates
  kBlochX,
  kBlochY,
  kBlochZ,
  kBetaEff,
  kCoherenceL1,
  kErgotropy,
  kWork,
  kHeat,
  kDeltaEnergy,
  kDeltaEntropy,
  kEntropyProduction,
  kWorkRate,
  kHeatRate,
  kEntropyProductionRate,
  // stationary: fixed point of the collision map (PHYSICS.md §4)
  kStatBlochX,
  kStatBlochY,
  kStatBlochZ,
  kStatBetaEff,
  kStatCoherenceL1,
  kStatErgotropy,
  kStatWorkRate,
  kStatHeatRate,
  kStatEntropyProductionRate,
  kStatDimension,
  kStatRelaxationCollisions,
  // gksl: continuous-time limit (PHYSICS.md §5)
  kGkslBlochX,
  kGkslBlochY,
  kGkslBlochZ,
  kGkslBetaEff,
  kGkslCoherenceL1,
  kGkslErgotropy,
  kGkslWorkRate,
  kGkslHeatRate,
  kGkslEntropyProductionRate,
  kGkslDimension,
  // decomposition of the cumulative entropy production (PHYSICS.md §3, identity 2)
  kMutualInformation,
  kAncillaRelativeEntropy,
  kColumnCount
};

inline constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "bloch_x",
    "bloch_y",
    "bloch_z",
    "beta_eff",
    "coherence_l1",
    "ergotropy",
    "work",
    "heat",
    "delta_energy",
    "delta_entropy",
    "entropy_production",
    "work_rate",
    "heat_rate",
    "entropy_production_rate",
    "stationary.bloch_x",
    "stationary.bloch_y",
    "stationary.bloch_z",
    "stationary.beta_eff",
    "stationary.coherence_l1",
    "stationary.ergotropy",
    "stationary.work_rate",
    "stationary.heat_rate",
    "stationary.entropy_production_rate",
    "stationary.dimension",
    "stationary.relaxation_collisions",
    "gksl.bloch_x",
    "gksl.bloch_y",
    "gksl.bloch_z",
    "gksl.beta_eff",
    "gksl.coherence_l1",
    "gksl.ergotropy",
    "gksl.work_rate",
    "gksl.heat_rate",
    "gksl.entropy_production_rate",
    "gksl.dimension",
    "mutual_information",
    "ancilla_relative_entropy"};

/// Output groups, selectable with `qcm run --outputs`.
enum Group : std::uint32_t {
  kGroupFinal = 1u << 0,
  kGroupStationary = 1u << 1,
  kGroupGksl = 1u << 2,
  kGroupDecomposition = 1u << 3,
};
inline constexpr std::uint32_t kDefaultGroups = kGroupFinal | kGroupStationary | kGroupGksl;

struct GroupRange {
  Group group;
  std::string_view name;
  int first;  ///< first Column slot
  int last;   ///< one past the last slot
};
inline constexpr std::array<GroupRange, 4> kGroups = {{
    {kGroupFinal, "final", kBlochX, kStatBlochX},
    {kGroupStationary, "stationary", kStatBlochX, kGkslBlochX},
    {kGroupGksl, "gksl", kGkslBlochX, kMutualInformation},
    {kGroupDecomposition, "decomposition", kMutualInformation, kColumnCount},
}};

/// Series sample columns (DESIGN.md "Series").
enum SeriesColumn : int {
  kSeriesK,
  kSeriesT,
  kSeriesBlochX,
  kSeriesBlochY,
  kSeriesBlochZ,
  kSeriesWorkRate,
  kSeriesHeatRate,
  kSeriesEntropyProductionRate,
  kSeriesWork,
  kSeriesHeat,
  kSeriesEntropyProduction,
  kSeriesColumnCount
};
inline constexpr std::array<std::string_view, kSeriesColumnCount> kSeriesColumnNames = {
    "k",       "t",         "bloch_x",           "bloch_y",
    "bloch_z", "work_rate", "heat_rate",         "entropy_production_rate",
    "work",    "heat",      "entropy_production"};

}  // namespace qcm
