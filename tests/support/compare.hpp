// @file tests: the one comparison of two chunk results (a backend against the
// reference engine, or two evolution paths of one backend), and small helpers
// shared by the test files.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "driver/compare.hpp"
#include "qcm/columns.hpp"
#include "qcm/core/point.hpp"
#include "qcm/result.hpp"
#include "qcm/spec.hpp"

namespace qcm::test {

/// A point in one line, for failure messages.
inline std::string describe(const core::PointParams& p) {
  std::ostringstream s;
  s << "omega_s " << p.omega_s << ", omega_a " << p.omega_a << ", beta " << p.beta << ", J {";
  for (int l = 0; l < 3; ++l)
    for (int m = 0; m < 3; ++m)
      if (p.coupling[l][m] != 0)
        s << " "
          << "xyz"[l] << "xyz"[m] << "=" << p.coupling[l][m];
  s << " }, dt " << p.dt << ", n " << p.collisions << ", r0 (" << p.bloch0[0] << ", " << p.bloch0[1]
    << ", " << p.bloch0[2] << ")" << (p.scaling == core::Scaling::fixed ? ", fixed scaling" : "")
    << (p.dynamics == core::Dynamics::gksl ? ", gksl dynamics" : "");
  return s.str();
}

/// Whether `column` belongs to one of `groups`.
inline bool requested(int column, std::uint32_t groups) {
  return (kColumnTable[column].group & groups) != 0;
}

/// How two chunks are compared. Columns are compared with
/// values_agree(a, b, tolerance(column, point)) (nulls and infinities must
/// match), series values with the tolerance of the final-group column they
/// are like (kSeriesTable), k and t with `base`.
struct Comparison {
  explicit Comparison(Tolerance base_tolerance) : base(base_tolerance) {}
  Tolerance base;
  /// Tolerance of a column (slot) at a point; default: `base`.
  std::function<Tolerance(int column, std::size_t point)> tolerance;
  /// A disagreement the caller explains (a borderline classification, a
  /// documented float limitation): not a failure. `column` is a Column slot;
  /// for series values it is the column the series value is like.
  std::function<bool(int column, std::size_t point, double a, double b)> excused;
  /// Flag bits not compared at a point.
  std::function<std::uint32_t(std::size_t point)> ignored_flags;
  /// Skip a whole group at a point (its classification is borderline).
  std::function<bool(Group group, std::size_t point)> skip_group;
  const std::vector<core::PointParams>* points = nullptr;        ///< for messages (qubit form)
  std::function<std::string(std::size_t point)> describe_point;  ///< for messages (otherwise)
  int max_failures = 25;
  /// Apply `qcm validate`'s column rules (kColumnTable's Agreement): beta_eff
  /// conditioned by its group's bloch_z, dimensions exact. Off for a caller
  /// whose `tolerance` and `excused` implement its own.
  bool validate_rules = true;
  /// Every value the same bits (+0 and -0, NaN payloads told apart): for two
  /// paths that must give the same numbers, not close ones. Nothing is
  /// excused then.
  bool bit_exact = false;
};

/// Every requested column, the flags, the sample counts and every series value.
inline void expect_chunks_agree(const ChunkResult& tested, const ChunkResult& ref,
                                const RunRequest& request, const Comparison& how) {
  ASSERT_EQ(tested.points, ref.points);
  int failures = 0;
  const auto where = [&](std::size_t p) {
    if (how.describe_point) return " at " + how.describe_point(p);
    return how.points ? " at " + describe((*how.points)[p]) : " at point " + std::to_string(p);
  };
  const auto tolerance = [&](int column, std::size_t p) {
    return column < 0 ? how.base : how.tolerance ? how.tolerance(column, p) : how.base;
  };
  const auto excused = [&](int column, std::size_t p, double a, double b) {
    return !how.bit_exact && how.excused && column >= 0 && how.excused(column, p, a, b);
  };
  const auto agree = [&](double a, double b, Tolerance tol) {
    if (how.bit_exact) return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
    return values_agree(a, b, tol);
  };
  for (std::size_t p = 0; p < tested.points; ++p) {
    const std::uint32_t ignore = how.ignored_flags ? how.ignored_flags(p) : 0u;
    if ((tested.flags[p] & ~ignore) != (ref.flags[p] & ~ignore) && failures++ < how.max_failures)
      ADD_FAILURE() << "flags " << tested.flags[p] << " vs reference " << ref.flags[p] << where(p);
    for (const ColumnInfo& c : kColumnTable) {
      if (!(request.groups & c.group) || !tested.columns().has(c.id)) continue;
      if (how.skip_group && how.skip_group(c.group, p)) continue;
      Tolerance tol = tolerance(c.id, p);
      if (how.validate_rules && c.agreement == Agreement::count) tol = Tolerance{0, 0};
      if (how.validate_rules && c.agreement == Agreement::beta_eff) {
        const int z = column_of(c.group, Quantity::bloch_z);
        const int pops = column_of(c.group, Quantity::populations);
        const double zz =
            ref.columns().has(z) ? ref.value(z, p) : ref.value(pops, p, 1) - ref.value(pops, p, 0);
        if (!beta_eff_tolerance(zz, ref.value(c.id, p), tol)) continue;
      }
      for (int e = 0; e < tested.columns().width[c.id]; ++e) {
        const double a = tested.value(c.id, p, e), b = ref.value(c.id, p, e);
        if (agree(a, b, tol) || excused(c.id, p, a, b) || failures++ >= how.max_failures) continue;
        std::string element;
        if (tested.columns().width[c.id] > 1)
          element.append("[").append(std::to_string(e)).append("]");
        ADD_FAILURE() << c.name << element << ": " << a << " vs reference " << b << " (atol "
                      << tol.atol << ", rtol " << tol.rtol << ")" << where(p);
      }
    }
    if (tested.sample_counts[p] != ref.sample_counts[p]) {
      ADD_FAILURE() << "sample counts " << tested.sample_counts[p] << " vs reference "
                    << ref.sample_counts[p] << where(p);
      continue;
    }
    for (std::int64_t s = 0; s < tested.sample_counts[p]; ++s)
      for (const SeriesColumnInfo& c : kSeriesTable)
        for (int e = 0; e < tested.shape.series.width[c.id]; ++e) {
          const double a = tested.sample(s, c.id, p, e), b = ref.sample(s, c.id, p, e);
          const Tolerance tol = tolerance(c.like, p);
          if (!agree(a, b, tol) && !excused(c.like, p, a, b) && failures++ < how.max_failures)
            ADD_FAILURE() << "series " << c.name << " sample " << s << ": " << a << " vs reference "
                          << b << where(p);
        }
  }
}

/// The parameter points of a spec written as JSON, through the real parser.
inline std::vector<core::PointParams> points_of(const Json& spec) {
  const Spec parsed = parse_spec(spec);
  std::vector<core::PointParams> points;
  for (std::uint64_t i = 0; i < parsed.point_count(); ++i) points.push_back(parsed.point(i));
  return points;
}

}  // namespace qcm::test
