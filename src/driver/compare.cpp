// @file driver layer: column-by-column comparison of two results.
#include "driver/compare.hpp"

#include <cmath>
#include <stdexcept>

#include "qcm/core/tolerances.hpp"

namespace qcm {

Tolerance tolerance_for(Precision precision) {
  // double: rounding over 10^3..10^6 collisions and logarithms of small
  // populations (beta_eff, entropies) stay far inside these; float: the
  // kernels run in float and accumulate sums in float.
  using D = core::Tolerances<double>;
  using F = core::Tolerances<float>;
  return precision == Precision::double_ ? Tolerance{D::validation_atol, D::validation_rtol}
                                         : Tolerance{F::validation_atol, F::validation_rtol};
}

bool values_agree(double a, double b, Tolerance tol) {
  if (a == b) return true;  // also when a tolerance is infinite (inf * 0 would be NaN)
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= tol.atol + tol.rtol * std::fabs(b);
}

/// beta_eff = -2 atanh(z)/omega is ill-conditioned near pure populations:
/// an error dz in bloch_z moves it by 2 dz / ((1 - z^2) |omega|). Widen its
/// tolerance by that condition number (relative to beta_eff itself), and skip
/// it where 1 - |z| is below rounding (there even the sign of a tiny
/// population, hence +-inf against a large finite value, is noise).
bool beta_eff_tolerance(double z, double beta_eff, Tolerance& tol) {
  const double gap = 1.0 - std::fabs(z);
  if (!(gap > core::kBetaEffPurePopulationGap)) return false;
  const double a = std::atanh(std::fabs(z));
  if (a > 0 && std::isfinite(beta_eff)) tol.rtol += tol.atol / ((1.0 - z * z) * a);
  return true;
}

namespace {

void accumulate(ColumnDeviation& d, double a, double b, std::size_t row, Tolerance tol) {
  const bool agree = values_agree(a, b, tol);
  if (!std::isfinite(a) || !std::isfinite(b)) {
    if (!agree) {
      ++d.null_mismatches;
      d.ok = false;
      d.worst_row = row;
    }
    return;
  }
  const double diff = std::fabs(a - b);
  if (diff > d.max_abs) {
    d.max_abs = diff;
    d.worst_row = row;
  }
  if (b != 0) d.max_rel = std::fmax(d.max_rel, diff / std::fabs(b));
  d.ok = d.ok && agree;
}

}  // namespace

std::vector<ColumnDeviation> compare_tables(const MemoryTable& tested, const MemoryTable& against,
                                            Tolerance tolerance) {
  if (tested.values().size() != against.values().size() ||
      tested.layout().value_columns != against.layout().value_columns)
    throw std::runtime_error("compare: the two results have different shapes");
  std::vector<ColumnDeviation> out;
  const TableLayout& layout = tested.layout();
  int at = 0;  // index of the column's first number in a row
  for (std::size_t k = 0; k < layout.value_columns.size(); at += layout.widths[k], ++k) {
    const ColumnInfo& info = kColumnTable[layout.value_columns[k]];
    ColumnDeviation d;
    d.column = std::string(info.name);
    // beta_eff is conditioned by the populations: the qubit form's bloch_z, or
    // the general form's populations of its group (z = p_upper - p_lower).
    const int z_index =
        info.agreement == Agreement::beta_eff
            ? against.value_index(kColumnNames[column_of(info.group, Quantity::bloch_z)])
            : -1;
    const int p_index =
        info.agreement == Agreement::beta_eff
            ? against.value_index(kColumnNames[column_of(info.group, Quantity::populations)])
            : -1;
    for (std::size_t row = 0; row < tested.values().size(); ++row) {
      const auto& a = tested.values()[row];
      const auto& b = against.values()[row];
      Tolerance tol = tolerance;
      if (info.agreement == Agreement::count) tol = Tolerance{0, 0};
      if (info.agreement == Agreement::beta_eff) {
        const double z = z_index >= 0 ? b[z_index] : b[p_index + 1] - b[p_index];
        if (!beta_eff_tolerance(z, b[at], tol)) continue;
      }
      for (int e = 0; e < layout.widths[k]; ++e) accumulate(d, a[at + e], b[at + e], row, tol);
    }
    out.push_back(d);
  }
  if (layout.series) {
    int at_series = 0;
    for (std::size_t k = 0; k < layout.series_columns.size();
         at_series += layout.series_widths[k], ++k) {
      ColumnDeviation d;
      d.column = "series." + std::string(kSeriesColumnNames[layout.series_columns[k]]);
      for (std::size_t row = 0; row < tested.series().size(); ++row) {
        const auto& sa = tested.series()[row];
        const auto& sb = against.series()[row];
        if (sa.size() != sb.size()) {
          ++d.null_mismatches;
          d.ok = false;
          continue;
        }
        for (std::size_t s = 0; s < sa.size(); ++s)
          for (int e = 0; e < layout.series_widths[k]; ++e)
            accumulate(d, sa[s][at_series + e], sb[s][at_series + e], row, tolerance);
      }
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace qcm
