// @file public API: the result table's columns, described once.
//
// kColumnTable is the one description of every output column: its slot (the
// Column enum), its name, its group, the quantity it holds, the undefined
// flags that null it and how `qcm validate` compares it. Everything else is
// derived from it: the group ranges, the names, which columns a flag nulls in
// the kernels and in the reference engine (null_flagged_columns), the
// `undefined` entries of a result, and the comparison of `qcm validate`.
// The series columns have their own, smaller table (kSeriesTable).
//
// Adding a column: docs/architecture.md, "Adding an output column".
//
// Device-safe: no allocation; constexpr data and QCM_HD functions only.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "qcm/core/config.hpp"
#include "qcm/core/point.hpp"

namespace qcm {

/// Column slots of a chunk's values (ChunkResult::value), all groups, in
/// output order: within a group, the order of the slots is the published
/// order of the columns (docs/results.md).
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
  // stationary: fixed point of the collision map (docs/physics.md §4)
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
  // gksl: continuous-time limit (docs/physics.md §5)
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
  // decomposition of the cumulative entropy production (docs/physics.md §3, identity 2)
  kMutualInformation,
  kAncillaRelativeEntropy,
  kColumnCount
};

/// Output groups, selectable with `qcm run --outputs`.
enum Group : std::uint32_t {
  kGroupFinal = 1u << 0,
  kGroupStationary = 1u << 1,
  kGroupGksl = 1u << 2,
  kGroupDecomposition = 1u << 3,
};
inline constexpr std::uint32_t kDefaultGroups = kGroupFinal | kGroupStationary | kGroupGksl;

/// What a column holds, whatever its group. A column's name is its group's
/// prefix followed by its quantity's name ("stationary." + "heat_rate").
enum class Quantity : int {
  bloch_x,
  bloch_y,
  bloch_z,
  beta_eff,
  coherence_l1,
  ergotropy,
  work,
  heat,
  delta_energy,
  delta_entropy,
  entropy_production,
  work_rate,
  heat_rate,
  entropy_production_rate,
  dimension,
  relaxation_collisions,
  mutual_information,
  ancilla_relative_entropy,
};

/// How `qcm validate` compares a column (src/driver/compare.cpp).
enum class Agreement : int {
  plain,     ///< |a - b| <= atol + rtol |b|; nulls and infinities equal
  beta_eff,  ///< plain, widened by the condition number of ln(p_g/p_e) (the group's bloch_z)
  count,     ///< an integer (a dimension): equal
};

struct ColumnInfo {
  Column id;
  std::string_view name;
  Group group;
  Quantity quantity;
  std::uint32_t nulled_by;  ///< core::UndefinedFlag bits that make this column null
  Agreement agreement;
};

namespace column_detail {
using namespace core;
constexpr std::uint32_t kStationaryLimit = kStationaryOscillates;
constexpr std::uint32_t kGkslAbsent = kGkslOddMoment | kGkslFixedScaling;
constexpr std::uint32_t kGkslNoLimit = kGkslAbsent | kGkslOscillates;
using Q = Quantity;
using A = Agreement;
}  // namespace column_detail

// clang-format off
inline constexpr ColumnInfo kColumnTable[] = {
#define QCM_COLUMN(id, name, group, quantity, nulled_by, agreement) \
  {id, name, group, column_detail::Q::quantity, nulled_by, column_detail::A::agreement}
    QCM_COLUMN(kBlochX, "bloch_x", kGroupFinal, bloch_x, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBlochY, "bloch_y", kGroupFinal, bloch_y, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBlochZ, "bloch_z", kGroupFinal, bloch_z, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBetaEff, "beta_eff", kGroupFinal, beta_eff, core::kGkslDynamicsUndefined | core::kBetaEffZeroOmega, beta_eff),
    QCM_COLUMN(kCoherenceL1, "coherence_l1", kGroupFinal, coherence_l1, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kErgotropy, "ergotropy", kGroupFinal, ergotropy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kWork, "work", kGroupFinal, work, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kHeat, "heat", kGroupFinal, heat, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kDeltaEnergy, "delta_energy", kGroupFinal, delta_energy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kDeltaEntropy, "delta_entropy", kGroupFinal, delta_entropy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kEntropyProduction, "entropy_production", kGroupFinal, entropy_production, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kWorkRate, "work_rate", kGroupFinal, work_rate, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kHeatRate, "heat_rate", kGroupFinal, heat_rate, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kEntropyProductionRate, "entropy_production_rate", kGroupFinal, entropy_production_rate, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kStatBlochX, "stationary.bloch_x", kGroupStationary, bloch_x, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBlochY, "stationary.bloch_y", kGroupStationary, bloch_y, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBlochZ, "stationary.bloch_z", kGroupStationary, bloch_z, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBetaEff, "stationary.beta_eff", kGroupStationary, beta_eff, column_detail::kStationaryLimit | core::kBetaEffZeroOmega, beta_eff),
    QCM_COLUMN(kStatCoherenceL1, "stationary.coherence_l1", kGroupStationary, coherence_l1, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatErgotropy, "stationary.ergotropy", kGroupStationary, ergotropy, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatWorkRate, "stationary.work_rate", kGroupStationary, work_rate, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatHeatRate, "stationary.heat_rate", kGroupStationary, heat_rate, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatEntropyProductionRate, "stationary.entropy_production_rate", kGroupStationary, entropy_production_rate, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatDimension, "stationary.dimension", kGroupStationary, dimension, 0u, count),
    QCM_COLUMN(kStatRelaxationCollisions, "stationary.relaxation_collisions", kGroupStationary, relaxation_collisions, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kGkslBlochX, "gksl.bloch_x", kGroupGksl, bloch_x, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslBlochY, "gksl.bloch_y", kGroupGksl, bloch_y, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslBlochZ, "gksl.bloch_z", kGroupGksl, bloch_z, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslBetaEff, "gksl.beta_eff", kGroupGksl, beta_eff, column_detail::kGkslNoLimit | core::kBetaEffZeroOmega, beta_eff),
    QCM_COLUMN(kGkslCoherenceL1, "gksl.coherence_l1", kGroupGksl, coherence_l1, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslErgotropy, "gksl.ergotropy", kGroupGksl, ergotropy, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslWorkRate, "gksl.work_rate", kGroupGksl, work_rate, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslHeatRate, "gksl.heat_rate", kGroupGksl, heat_rate, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslEntropyProductionRate, "gksl.entropy_production_rate", kGroupGksl, entropy_production_rate, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslDimension, "gksl.dimension", kGroupGksl, dimension, column_detail::kGkslAbsent, count),
    QCM_COLUMN(kMutualInformation, "mutual_information", kGroupDecomposition, mutual_information, core::kDecompositionNeedsCollisions, plain),
    QCM_COLUMN(kAncillaRelativeEntropy, "ancilla_relative_entropy", kGroupDecomposition, ancilla_relative_entropy, core::kDecompositionNeedsCollisions, plain),
#undef QCM_COLUMN
};
// clang-format on

/// Names of the quantities, indexed by Quantity.
inline constexpr std::string_view kQuantityNames[] = {"bloch_x",
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
                                                      "dimension",
                                                      "relaxation_collisions",
                                                      "mutual_information",
                                                      "ancilla_relative_entropy"};

struct GroupInfo {
  Group group;
  std::string_view name;    ///< as in `--outputs`
  std::string_view prefix;  ///< of its column names
};
inline constexpr GroupInfo kGroupTable[] = {
    {kGroupFinal, "final", ""},
    {kGroupStationary, "stationary", "stationary."},
    {kGroupGksl, "gksl", "gksl."},
    {kGroupDecomposition, "decomposition", ""},
};

constexpr const GroupInfo& group_info(Group group) {
  for (const GroupInfo& g : kGroupTable)
    if (g.group == group) return g;
  return kGroupTable[0];
}

/// The slot of the column of `group` that holds `quantity` (-1 if none).
constexpr int column_of(Group group, Quantity quantity) {
  for (const ColumnInfo& c : kColumnTable)
    if (c.group == group && c.quantity == quantity) return c.id;
  return -1;
}

/// A group's columns are the slots [first, last).
struct GroupRange {
  Group group;
  std::string_view name;
  int first;
  int last;
};
constexpr GroupRange group_range(Group group) {
  int first = -1, last = -1;
  for (const ColumnInfo& c : kColumnTable)
    if (c.group == group) {
      if (first < 0) first = c.id;
      last = c.id + 1;
    }
  return {group, group_info(group).name, first, last};
}
inline constexpr std::array<GroupRange, std::size(kGroupTable)> kGroups = [] {
  std::array<GroupRange, std::size(kGroupTable)> groups{};
  for (std::size_t g = 0; g < groups.size(); ++g) groups[g] = group_range(kGroupTable[g].group);
  return groups;
}();

/// Column names, indexed by Column.
inline constexpr std::array<std::string_view, kColumnCount> kColumnNames = [] {
  std::array<std::string_view, kColumnCount> names{};
  for (const ColumnInfo& c : kColumnTable) names[c.id] = c.name;
  return names;
}();

/// The undefined flags that null each column, indexed by Column.
inline constexpr std::array<std::uint32_t, kColumnCount> kNulledBy = [] {
  std::array<std::uint32_t, kColumnCount> masks{};
  for (const ColumnInfo& c : kColumnTable) masks[c.id] = c.nulled_by;
  return masks;
}();

namespace column_detail {
constexpr bool table_is_consistent() {
  if (std::size(kColumnTable) != static_cast<std::size_t>(kColumnCount)) return false;
  for (int i = 0; i < kColumnCount; ++i) {
    const ColumnInfo& c = kColumnTable[i];
    // Slot i is row i, so the enum and the table cannot drift apart.
    if (c.id != i) return false;
    // The name is the group's prefix and the quantity's name.
    const std::string_view prefix = group_info(c.group).prefix;
    const std::string_view quantity = kQuantityNames[static_cast<int>(c.quantity)];
    if (c.name.size() != prefix.size() + quantity.size() || !c.name.starts_with(prefix) ||
        !c.name.ends_with(quantity))
      return false;
    // Groups are contiguous, in kGroupTable order.
    if (i > 0 && c.group != kColumnTable[i - 1].group) {
      bool later = false;
      for (std::size_t g = 0; g + 1 < std::size(kGroupTable); ++g)
        later = later || (kGroupTable[g].group == kColumnTable[i - 1].group &&
                          kGroupTable[g + 1].group == c.group);
      if (!later) return false;
    }
    // A beta_eff column is conditioned by the bloch_z of its group.
    if (c.agreement == Agreement::beta_eff && column_of(c.group, Quantity::bloch_z) < 0)
      return false;
  }
  return true;
}
}  // namespace column_detail
static_assert(column_detail::table_is_consistent(),
              "kColumnTable: row i must describe slot i, names must be prefix + quantity, groups "
              "contiguous in kGroupTable order");
static_assert(std::size(kQuantityNames) ==
              static_cast<std::size_t>(Quantity::ancilla_relative_entropy) + 1);

/// Calls write(column) for every column that `flags` null (the kernels and
/// the reference engine write NaN there, the writers explain it).
template <typename Write>
QCM_HD void for_each_nulled_column(std::uint32_t flags, Write&& write) {
  if (flags == 0) return;
  constexpr std::array<std::uint32_t, kColumnCount> nulled_by = kNulledBy;
  for (int c = 0; c < kColumnCount; ++c)
    if (nulled_by[c] & flags) write(c);
}

// ---- series ---------------------------------------------------------------------------------

/// Series sample columns (docs/results.md, "Series").
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

struct SeriesColumnInfo {
  SeriesColumn id;
  std::string_view name;
  int like;  ///< the final-group Column whose meaning (and tolerance) it shares, -1 for k, t
};
inline constexpr SeriesColumnInfo kSeriesTable[] = {
    {kSeriesK, "k", -1},
    {kSeriesT, "t", -1},
    {kSeriesBlochX, "bloch_x", kBlochX},
    {kSeriesBlochY, "bloch_y", kBlochY},
    {kSeriesBlochZ, "bloch_z", kBlochZ},
    {kSeriesWorkRate, "work_rate", kWorkRate},
    {kSeriesHeatRate, "heat_rate", kHeatRate},
    {kSeriesEntropyProductionRate, "entropy_production_rate", kEntropyProductionRate},
    {kSeriesWork, "work", kWork},
    {kSeriesHeat, "heat", kHeat},
    {kSeriesEntropyProduction, "entropy_production", kEntropyProduction},
};
inline constexpr std::array<std::string_view, kSeriesColumnCount> kSeriesColumnNames = [] {
  std::array<std::string_view, kSeriesColumnCount> names{};
  for (const SeriesColumnInfo& c : kSeriesTable) names[c.id] = c.name;
  return names;
}();
namespace column_detail {
constexpr bool series_table_is_consistent() {
  if (std::size(kSeriesTable) != static_cast<std::size_t>(kSeriesColumnCount)) return false;
  for (int i = 0; i < kSeriesColumnCount; ++i) {
    const SeriesColumnInfo& c = kSeriesTable[i];
    if (c.id != i) return false;
    if (c.like >= 0 && kColumnNames[c.like] != c.name) return false;
  }
  return true;
}
}  // namespace column_detail
static_assert(column_detail::series_table_is_consistent(),
              "kSeriesTable: row i must describe series slot i, named as the column it is like");

}  // namespace qcm
