// @file tests: the table of columns and the rules derived from it (qcm/columns.hpp,
// qcm/records.hpp, qcm/sampling.hpp, src/io/undefined.cpp).
#include "qcm/columns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "io/undefined.hpp"
#include "qcm/core/point.hpp"
#include "qcm/records.hpp"
#include "qcm/sampling.hpp"

namespace qcm {
namespace {

// The qubit form's columns among `columns`.
std::set<std::string> names(const std::vector<int>& columns) {
  std::set<std::string> out;
  for (int c : columns)
    if (c < kQubitColumnCount) out.insert(std::string(kColumnNames[c]));
  return out;
}

std::set<std::string> nulled(std::uint32_t flag, std::uint32_t groups) {
  std::vector<int> columns;
  for (const UndefinedReason& r : undefined_reasons(flag, groups))
    columns.insert(columns.end(), r.columns.begin(), r.columns.end());
  return names(columns);
}

constexpr std::uint32_t kAll = kGroupFinal | kGroupStationary | kGroupGksl | kGroupDecomposition;

TEST(ColumnTable, GroupsArePublishedInOrderAndCoverEverySlot) {
  int next = 0;
  for (const GroupRange& g : kGroups) {
    EXPECT_EQ(g.first, next) << g.name;
    EXPECT_GT(g.last, g.first) << g.name;
    next = g.last;
  }
  EXPECT_EQ(next, kQubitColumnCount);
  EXPECT_EQ(kColumnNames[column_of(kGroupStationary, Quantity::heat_rate)], "stationary.heat_rate");
  EXPECT_EQ(column_of(kGroupDecomposition, Quantity::bloch_x), -1);
}

TEST(ColumnTable, EachFlagNullsTheColumnsItsReasonExplains) {
  // The stationary state oscillates: every stationary column but the dimension.
  std::set<std::string> stationary;
  for (int c = group_range(qubit_column_layout(), kGroupStationary).first;
       c < group_range(qubit_column_layout(), kGroupStationary).last; ++c)
    if (c != kStatDimension) stationary.insert(std::string(kColumnNames[c]));
  EXPECT_EQ(nulled(core::kStationaryOscillates, kAll), stationary);
  // No GKSL limit at all: the whole gksl group, dimension included; an
  // oscillating generator keeps its dimension.
  EXPECT_EQ(nulled(core::kGkslFixedScaling, kAll).size(),
            std::size_t(group_range(qubit_column_layout(), kGroupGksl).last -
                        group_range(qubit_column_layout(), kGroupGksl).first));
  EXPECT_EQ(nulled(core::kGkslOscillates, kAll).count("gksl.dimension"), 0u);
  EXPECT_EQ(nulled(core::kGkslOddMoment, kAll).count("gksl.dimension"), 1u);
  EXPECT_EQ(nulled(core::kBetaEffZeroOmega, kAll),
            (std::set<std::string>{"beta_eff", "stationary.beta_eff", "gksl.beta_eff"}));
  EXPECT_EQ(nulled(core::kDecompositionNeedsCollisions, kAll),
            (std::set<std::string>{"mutual_information", "ancilla_relative_entropy"}));
  EXPECT_EQ(nulled(core::kGkslDynamicsUndefined, kAll).size(),
            std::size_t(group_range(qubit_column_layout(), kGroupFinal).last));
  // Only requested groups are reported.
  EXPECT_EQ(nulled(core::kBetaEffZeroOmega, kGroupGksl), (std::set<std::string>{"gksl.beta_eff"}));
  EXPECT_TRUE(undefined_reasons(core::kStationaryOscillates, kGroupFinal).empty());
}

TEST(ColumnTable, WriteNullsWritesExactlyTheFlaggedColumnsAndGroups) {
  std::vector<double> values(kQubitColumnCount, 1.0);
  write_nulls(core::kGkslOscillates, kGroupDecomposition, qubit_column_layout(),
              [&](int c, int, double v) { values[static_cast<std::size_t>(c)] = v; });
  for (int c = 0; c < kQubitColumnCount; ++c) {
    const bool gksl_state = c >= kGkslBlochX && c < kGkslDimension;
    const bool decomposition = c >= kMutualInformation;
    EXPECT_EQ(std::isnan(values[static_cast<std::size_t>(c)]), gksl_state || decomposition)
        << kColumnNames[c];
  }
}

TEST(ColumnTable, RecordWritersFillEveryColumnOfTheirGroupOnce) {
  std::vector<int> writes(kColumnCount, 0);
  const auto count = [&](int c, int, double) { ++writes[static_cast<std::size_t>(c)]; };
  write_final(FinalRecord<double>{}, count);
  write_steady_state<kGroupStationary>(StateMeasures<double>{}, Rates<double>{}, count);
  write_dimension<kGroupStationary>(1.0, count);
  write_steady_state<kGroupGksl>(StateMeasures<double>{}, Rates<double>{}, count);
  write_dimension<kGroupGksl>(1.0, count);
  write_decomposition(0.0, 0.0, count);
  for (int c = 0; c < kQubitColumnCount; ++c)
    EXPECT_EQ(writes[static_cast<std::size_t>(c)], c == kStatRelaxationCollisions ? 0 : 1)
        << kColumnNames[c];
  // A sample fills every series column, each from the matching record field.
  SampleRecord<double> s{};
  s.k = 1, s.t = 2, s.bloch[0] = 3, s.bloch[1] = 4, s.bloch[2] = 5;
  s.rates = {6, 7, 8};
  s.work = 9, s.heat = 10, s.entropy_production = 11;
  double columns[kQubitSeriesColumnCount];
  sample_columns(s, columns);
  for (int c = 0; c < kQubitSeriesColumnCount; ++c)
    EXPECT_EQ(columns[c], c + 1) << kSeriesColumnNames[c];
}

TEST(Sampling, ClockSamplesEveryMultipleAndTheLastCollision) {
  for (std::int64_t every : {0, 1, 3, 7, 10})
    for (std::int64_t n : {1, 2, 9, 10, 21}) {
      SampleClock clock(every, n);
      std::int64_t samples = 0;
      for (std::int64_t k = 1; k <= n; ++k) {
        const bool expected = every > 0 && (k % every == 0 || k == n);
        EXPECT_EQ(clock.tick(k), expected) << "every " << every << ", n " << n << ", k " << k;
        samples += expected;
      }
      EXPECT_EQ(series_sample_count(n, every), samples) << "every " << every << ", n " << n;
    }
}

}  // namespace
}  // namespace qcm
