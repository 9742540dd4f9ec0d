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
  // general form only (docs/results.md, "General models"): the state measures
  // of a system of any dimension, in the final, stationary and gksl groups
  kEnergy,
  kPurity,
  kEntropy,
  kPopulations,
  kStatEnergy,
  kStatPurity,
  kStatEntropy,
  kStatPopulations,
  kGkslEnergy,
  kGkslPurity,
  kGkslEntropy,
  kGkslPopulations,
  // state group (opt-in, general form): the density matrix after the evolution
  kRho,
  kColumnCount
};

/// The qubit form's columns are the slots [0, kQubitColumnCount), in its
/// publication order: its chunks keep slot == column.
inline constexpr int kQubitColumnCount = kEnergy;

/// Output groups, selectable with `qcm run --outputs`.
enum Group : std::uint32_t {
  kGroupFinal = 1u << 0,
  kGroupStationary = 1u << 1,
  kGroupGksl = 1u << 2,
  kGroupDecomposition = 1u << 3,
  kGroupState = 1u << 4,
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
  energy,
  purity,
  entropy,
  populations,
  rho,
};

/// How many numbers a column holds.
enum class Width : int {
  scalar,   ///< one
  levels,   ///< d_S: one per level of the system (populations)
  density,  ///< 2 d_S^2: a d_S x d_S complex matrix, row-major, (re, im) pairs
};

/// The spec forms a column belongs to (bits).
enum Forms : std::uint32_t { kQubitForm = 1u << 0, kGeneralForm = 1u << 1, kBothForms = 3u };

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
  std::uint32_t forms = kQubitForm;  ///< Forms bits
  Width width = Width::scalar;
};

namespace column_detail {
using namespace core;
constexpr std::uint32_t kStationaryLimit = kStationaryOscillates;
constexpr std::uint32_t kGkslAbsent = kGkslOddMoment | kGkslFixedScaling;
constexpr std::uint32_t kGkslNoLimit = kGkslAbsent | kGkslOscillates;
constexpr std::uint32_t kBetaEffUndefined = kBetaEffZeroOmega | kBetaEffEqualLevels;
constexpr std::uint32_t kGkslNoCurrents = kGkslNoLimit | kGkslCoherentAncilla;
constexpr std::uint32_t kGkslNoEntropyRate = kGkslNoCurrents | kGkslNonGibbsAncilla;
constexpr std::uint32_t kFinalNoCurrents = kGkslDynamicsUndefined | kGkslDynamicsNoCurrents;
constexpr std::uint32_t kFinalNoEntropy = kFinalNoCurrents | kGkslDynamicsNoEntropyProduction;
using Q = Quantity;
using A = Agreement;
/// The qubit form describes its state by the Bloch vector, the general form by
/// energy, purity, entropy and populations; the rest is common to both.
constexpr std::uint32_t forms_of(Quantity q) {
  switch (q) {
    case Q::bloch_x:
    case Q::bloch_y:
    case Q::bloch_z:
      return kQubitForm;
    case Q::energy:
    case Q::purity:
    case Q::entropy:
    case Q::populations:
    case Q::rho:
      return kGeneralForm;
    default:
      return kBothForms;
  }
}
}  // namespace column_detail

// clang-format off
inline constexpr ColumnInfo kColumnTable[] = {
#define QCM_COLUMN(id, name, group, quantity, nulled_by, agreement) \
  {id, name, group, column_detail::Q::quantity, nulled_by, column_detail::A::agreement, column_detail::forms_of(column_detail::Q::quantity)}
#define QCM_ARRAY(id, name, group, quantity, nulled_by, width) \
  {id, name, group, column_detail::Q::quantity, nulled_by, column_detail::A::plain, kGeneralForm, Width::width}
    QCM_COLUMN(kBlochX, "bloch_x", kGroupFinal, bloch_x, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBlochY, "bloch_y", kGroupFinal, bloch_y, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBlochZ, "bloch_z", kGroupFinal, bloch_z, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kBetaEff, "beta_eff", kGroupFinal, beta_eff, core::kGkslDynamicsUndefined | column_detail::kBetaEffUndefined, beta_eff),
    QCM_COLUMN(kCoherenceL1, "coherence_l1", kGroupFinal, coherence_l1, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kErgotropy, "ergotropy", kGroupFinal, ergotropy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kWork, "work", kGroupFinal, work, column_detail::kFinalNoCurrents, plain),
    QCM_COLUMN(kHeat, "heat", kGroupFinal, heat, column_detail::kFinalNoCurrents, plain),
    QCM_COLUMN(kDeltaEnergy, "delta_energy", kGroupFinal, delta_energy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kDeltaEntropy, "delta_entropy", kGroupFinal, delta_entropy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kEntropyProduction, "entropy_production", kGroupFinal, entropy_production, column_detail::kFinalNoEntropy, plain),
    QCM_COLUMN(kWorkRate, "work_rate", kGroupFinal, work_rate, column_detail::kFinalNoCurrents, plain),
    QCM_COLUMN(kHeatRate, "heat_rate", kGroupFinal, heat_rate, column_detail::kFinalNoCurrents, plain),
    QCM_COLUMN(kEntropyProductionRate, "entropy_production_rate", kGroupFinal, entropy_production_rate, column_detail::kFinalNoEntropy, plain),
    QCM_COLUMN(kStatBlochX, "stationary.bloch_x", kGroupStationary, bloch_x, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBlochY, "stationary.bloch_y", kGroupStationary, bloch_y, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBlochZ, "stationary.bloch_z", kGroupStationary, bloch_z, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatBetaEff, "stationary.beta_eff", kGroupStationary, beta_eff, column_detail::kStationaryLimit | column_detail::kBetaEffUndefined, beta_eff),
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
    QCM_COLUMN(kGkslBetaEff, "gksl.beta_eff", kGroupGksl, beta_eff, column_detail::kGkslNoLimit | column_detail::kBetaEffUndefined, beta_eff),
    QCM_COLUMN(kGkslCoherenceL1, "gksl.coherence_l1", kGroupGksl, coherence_l1, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslErgotropy, "gksl.ergotropy", kGroupGksl, ergotropy, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslWorkRate, "gksl.work_rate", kGroupGksl, work_rate, column_detail::kGkslNoCurrents, plain),
    QCM_COLUMN(kGkslHeatRate, "gksl.heat_rate", kGroupGksl, heat_rate, column_detail::kGkslNoCurrents, plain),
    QCM_COLUMN(kGkslEntropyProductionRate, "gksl.entropy_production_rate", kGroupGksl, entropy_production_rate, column_detail::kGkslNoEntropyRate, plain),
    QCM_COLUMN(kGkslDimension, "gksl.dimension", kGroupGksl, dimension, column_detail::kGkslAbsent, count),
    QCM_COLUMN(kMutualInformation, "mutual_information", kGroupDecomposition, mutual_information, core::kDecompositionNeedsCollisions, plain),
    QCM_COLUMN(kAncillaRelativeEntropy, "ancilla_relative_entropy", kGroupDecomposition, ancilla_relative_entropy, core::kDecompositionNeedsCollisions, plain),
    QCM_COLUMN(kEnergy, "energy", kGroupFinal, energy, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kPurity, "purity", kGroupFinal, purity, core::kGkslDynamicsUndefined, plain),
    QCM_COLUMN(kEntropy, "entropy", kGroupFinal, entropy, core::kGkslDynamicsUndefined, plain),
    QCM_ARRAY(kPopulations, "populations", kGroupFinal, populations, core::kGkslDynamicsUndefined, levels),
    QCM_COLUMN(kStatEnergy, "stationary.energy", kGroupStationary, energy, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatPurity, "stationary.purity", kGroupStationary, purity, column_detail::kStationaryLimit, plain),
    QCM_COLUMN(kStatEntropy, "stationary.entropy", kGroupStationary, entropy, column_detail::kStationaryLimit, plain),
    QCM_ARRAY(kStatPopulations, "stationary.populations", kGroupStationary, populations, column_detail::kStationaryLimit, levels),
    QCM_COLUMN(kGkslEnergy, "gksl.energy", kGroupGksl, energy, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslPurity, "gksl.purity", kGroupGksl, purity, column_detail::kGkslNoLimit, plain),
    QCM_COLUMN(kGkslEntropy, "gksl.entropy", kGroupGksl, entropy, column_detail::kGkslNoLimit, plain),
    QCM_ARRAY(kGkslPopulations, "gksl.populations", kGroupGksl, populations, column_detail::kGkslNoLimit, levels),
    QCM_ARRAY(kRho, "rho", kGroupState, rho, core::kGkslDynamicsUndefined, density),
#undef QCM_ARRAY
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
                                                      "ancilla_relative_entropy",
                                                      "energy",
                                                      "purity",
                                                      "entropy",
                                                      "populations",
                                                      "rho"};

struct GroupInfo {
  Group group;
  std::string_view name;    ///< as in `--outputs`
  std::string_view prefix;  ///< of its column names
};
inline constexpr GroupInfo kGroupTable[] = {
    {kGroupFinal, "final", ""},    {kGroupStationary, "stationary", "stationary."},
    {kGroupGksl, "gksl", "gksl."}, {kGroupDecomposition, "decomposition", ""},
    {kGroupState, "state", ""},
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

// ---- publication order of each form -----------------------------------------------------------

/// A column in a form's publication order; `two_levels` columns are present
/// in the general form only when the system has two levels (beta_eff).
struct OrderEntry {
  Column id;
  bool two_levels = false;
};

/// The qubit form: the slots in order.
inline constexpr std::array<OrderEntry, kQubitColumnCount> kQubitOrder = [] {
  std::array<OrderEntry, kQubitColumnCount> order{};
  for (int c = 0; c < kQubitColumnCount; ++c) order[c] = {static_cast<Column>(c)};
  return order;
}();

/// The general form (docs/results.md, "General models").
inline constexpr OrderEntry kGeneralOrder[] = {
    {kEnergy},
    {kPurity},
    {kEntropy},
    {kPopulations},
    {kCoherenceL1},
    {kErgotropy},
    {kBetaEff, true},
    {kWork},
    {kHeat},
    {kDeltaEnergy},
    {kDeltaEntropy},
    {kEntropyProduction},
    {kWorkRate},
    {kHeatRate},
    {kEntropyProductionRate},
    {kStatEnergy},
    {kStatPurity},
    {kStatEntropy},
    {kStatPopulations},
    {kStatCoherenceL1},
    {kStatErgotropy},
    {kStatBetaEff, true},
    {kStatWorkRate},
    {kStatHeatRate},
    {kStatEntropyProductionRate},
    {kStatDimension},
    {kStatRelaxationCollisions},
    {kGkslEnergy},
    {kGkslPurity},
    {kGkslEntropy},
    {kGkslPopulations},
    {kGkslCoherenceL1},
    {kGkslErgotropy},
    {kGkslBetaEff, true},
    {kGkslWorkRate},
    {kGkslHeatRate},
    {kGkslEntropyProductionRate},
    {kGkslDimension},
    {kMutualInformation},
    {kAncillaRelativeEntropy},
    {kRho},
};

/// Numbers a column of `width` holds for a system of `system_dim` levels.
QCM_HD constexpr int width_of(Width width, int system_dim) {
  return width == Width::scalar   ? 1
         : width == Width::levels ? system_dim
                                  : 2 * system_dim * system_dim;
}

inline constexpr int kGroupCount = static_cast<int>(std::size(kGroupTable));
/// Index of a group's bit (kGroupFinal -> 0, ...).
QCM_HD constexpr int group_index(std::uint32_t group) {
  int i = 0;
  while (i < 31 && !((group >> i) & 1u)) ++i;
  return i;
}

/// Where each column of a form lies in a chunk's values: its first slot
/// (-1 when the form has no such column) and its width; slots are assigned
/// in publication order, so a group's columns are a contiguous slot range.
/// Plain data, copied to the device with the chunk's shape.
struct ColumnLayout {
  std::int32_t slot[kColumnCount];
  std::int32_t width[kColumnCount];
  std::int32_t slots = 0;  ///< total slots per point
  std::int32_t group_first[kGroupCount];
  std::int32_t group_last[kGroupCount];

  QCM_HD bool has(int column) const { return slot[column] >= 0; }
};

/// The layout of the qubit form: slot == column.
constexpr ColumnLayout qubit_column_layout() {
  ColumnLayout l{};
  for (int c = 0; c < kColumnCount; ++c) l.slot[c] = -1, l.width[c] = 0;
  for (int g = 0; g < kGroupCount; ++g) l.group_first[g] = l.group_last[g] = 0;
  for (const OrderEntry& e : kQubitOrder) {
    const int g = group_index(kColumnTable[e.id].group);
    if (l.group_first[g] == l.group_last[g]) l.group_first[g] = l.slots;
    l.slot[e.id] = l.slots;
    l.width[e.id] = 1;
    l.slots += 1;
    l.group_last[g] = l.slots;
  }
  return l;
}

/// The layout of the general form for a system of `system_dim` levels.
constexpr ColumnLayout general_column_layout(int system_dim) {
  ColumnLayout l{};
  for (int c = 0; c < kColumnCount; ++c) l.slot[c] = -1, l.width[c] = 0;
  for (int g = 0; g < kGroupCount; ++g) l.group_first[g] = l.group_last[g] = 0;
  for (const OrderEntry& e : kGeneralOrder) {
    if (e.two_levels && system_dim != 2) continue;
    const int g = group_index(kColumnTable[e.id].group);
    if (l.group_first[g] == l.group_last[g]) l.group_first[g] = l.slots;
    l.slot[e.id] = l.slots;
    l.width[e.id] = width_of(kColumnTable[e.id].width, system_dim);
    l.slots += l.width[e.id];
    l.group_last[g] = l.slots;
  }
  return l;
}

/// The slots [first, last) of a group in a layout.
struct GroupRange {
  Group group;
  std::string_view name;
  int first;
  int last;
};
constexpr GroupRange group_range(const ColumnLayout& layout, Group group) {
  const int g = group_index(group);
  return {group, group_info(group).name, layout.group_first[g], layout.group_last[g]};
}

/// The qubit form's group ranges (slot == column there).
inline constexpr std::array<GroupRange, 4> kGroups = [] {
  constexpr ColumnLayout l = qubit_column_layout();
  std::array<GroupRange, 4> groups{};
  for (int g = 0; g < 4; ++g) groups[g] = group_range(l, kGroupTable[g].group);
  return groups;
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
    // The qubit form's columns are exactly the first kQubitColumnCount slots.
    if (((c.forms & kQubitForm) != 0) != (i < kQubitColumnCount)) return false;
    // A beta_eff column is conditioned by the populations of its group.
    if (c.agreement == Agreement::beta_eff && (column_of(c.group, Quantity::bloch_z) < 0 ||
                                               column_of(c.group, Quantity::populations) < 0))
      return false;
  }
  return true;
}
/// A form's order lists each of its columns once, each group contiguous and
/// the groups in kGroupTable order.
template <typename Order>
constexpr bool order_is_consistent(const Order& order, std::uint32_t form) {
  int seen[kColumnCount] = {};
  int last_group = -1;
  for (const OrderEntry& e : order) {
    if (!(kColumnTable[e.id].forms & form) || seen[e.id]++) return false;
    const int g = group_index(kColumnTable[e.id].group);
    if (g < last_group) return false;
    last_group = g;
  }
  for (const ColumnInfo& c : kColumnTable)
    if ((c.forms & form) && seen[c.id] != 1) return false;
  return true;
}
}  // namespace column_detail
static_assert(column_detail::table_is_consistent(),
              "kColumnTable: row i must describe slot i, names must be prefix + quantity, the "
              "qubit form's columns first");
static_assert(column_detail::order_is_consistent(kQubitOrder, kQubitForm));
static_assert(column_detail::order_is_consistent(kGeneralOrder, kGeneralForm));
static_assert(std::size(kQuantityNames) == static_cast<std::size_t>(Quantity::rho) + 1);

namespace column_detail {
/// kColumnTable as a std::array (device code copies it into a local constant).
constexpr std::array<ColumnInfo, kColumnCount> table_copy() {
  std::array<ColumnInfo, kColumnCount> t{};
  for (int c = 0; c < kColumnCount; ++c) t[c] = kColumnTable[c];
  return t;
}
}  // namespace column_detail

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
  // general form only
  kSeriesEnergy,
  kSeriesPurity,
  kSeriesEntropy,
  kSeriesPopulations,
  kSeriesColumnCount
};

/// The qubit form's series columns are [0, kQubitSeriesColumnCount), in order.
inline constexpr int kQubitSeriesColumnCount = kSeriesEnergy;

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
    {kSeriesEnergy, "energy", kEnergy},
    {kSeriesPurity, "purity", kPurity},
    {kSeriesEntropy, "entropy", kEntropy},
    {kSeriesPopulations, "populations", kPopulations},
};
inline constexpr std::array<std::string_view, kSeriesColumnCount> kSeriesColumnNames = [] {
  std::array<std::string_view, kSeriesColumnCount> names{};
  for (const SeriesColumnInfo& c : kSeriesTable) names[c.id] = c.name;
  return names;
}();

/// The general form's series columns, in order.
inline constexpr SeriesColumn kGeneralSeriesOrder[] = {
    kSeriesK,        kSeriesT,        kSeriesEnergy,
    kSeriesPurity,   kSeriesEntropy,  kSeriesPopulations,
    kSeriesWorkRate, kSeriesHeatRate, kSeriesEntropyProductionRate,
    kSeriesWork,     kSeriesHeat,     kSeriesEntropyProduction};

/// Where each series column lies in a sample (-1: not in this form).
struct SeriesLayoutSlots {
  std::int32_t slot[kSeriesColumnCount];
  std::int32_t width[kSeriesColumnCount];
  std::int32_t values = 0;  ///< numbers per sample
};
constexpr SeriesLayoutSlots qubit_series_slots() {
  SeriesLayoutSlots s{};
  for (int c = 0; c < kSeriesColumnCount; ++c) {
    s.slot[c] = c < kQubitSeriesColumnCount ? c : -1;
    s.width[c] = c < kQubitSeriesColumnCount ? 1 : 0;
  }
  s.values = kQubitSeriesColumnCount;
  return s;
}
constexpr SeriesLayoutSlots general_series_slots(int system_dim) {
  SeriesLayoutSlots s{};
  for (int c = 0; c < kSeriesColumnCount; ++c) s.slot[c] = -1, s.width[c] = 0;
  for (const SeriesColumn c : kGeneralSeriesOrder) {
    s.slot[c] = s.values;
    s.width[c] = c == kSeriesPopulations ? system_dim : 1;
    s.values += s.width[c];
  }
  return s;
}

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
