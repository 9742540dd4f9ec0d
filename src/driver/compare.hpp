// @file driver layer: column-by-column comparison of two results (qcm validate, tests).
#pragma once

#include <string>
#include <vector>

#include "io/result_writer.hpp"
#include "qcm/backend.hpp"

namespace qcm {

/// |a - b| <= atol + rtol |b| (docs/validation.md), per precision of the backend under test.
struct Tolerance {
  double atol;
  double rtol;
};
Tolerance tolerance_for(Precision precision);

/// Whether a (tested) agrees with b: within atol + rtol |b| when both are
/// finite; nulls (NaN) and infinities must match exactly.
bool values_agree(double a, double b, Tolerance tol);

/// The beta_eff rule of `qcm validate`: beta_eff = -2 atanh(z)/omega_S is
/// ill-conditioned near pure populations (z the group's bloch_z in the result
/// compared against): widens `tol` by its condition number, or returns false
/// where 1 - |z| is below rounding and beta_eff is not compared at all.
bool beta_eff_tolerance(double z, double beta_eff, Tolerance& tol);

struct ColumnDeviation {
  std::string column;
  double max_abs = 0;  ///< largest |a - b|
  double max_rel = 0;  ///< largest |a - b| / |b| (over |b| > 0)
  std::size_t worst_row = 0;
  std::size_t null_mismatches = 0;  ///< rows where one is null/inf and the other is not the same
  bool ok = true;
};

/// Compare every value column and every series value of two tables of the same spec.
std::vector<ColumnDeviation> compare_tables(const MemoryTable& tested, const MemoryTable& against,
                                            Tolerance tolerance);

}  // namespace qcm
