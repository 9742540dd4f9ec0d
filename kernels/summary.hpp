// @file kernels layer: a per-chunk physics check, reduced where the results live.
//
// Every chunk is summarised by the largest Bloch-vector length (positivity:
// it must not exceed 1) and the smallest cumulative entropy production (the
// second law: it must not be negative) over its points, as PhysicsChecks
// (qcm/chunk.hpp). On the GPU the reduction runs on the device with Thrust,
// so the check needs no extra transfer; the cpu backend runs the same functor
// in an OpenMP reduction.
#pragma once

#include <cmath>
#include <cstddef>

#include "qcm/chunk.hpp"
#include "qcm/columns.hpp"
#include "qcm/core/config.hpp"

namespace qcm::kernels {

/// The checks of one point (values laid out as ChunkShape::value_index).
struct SummarizePoint {
  const double* values;
  std::size_t points;
  bool evolved;     ///< the final group holds numbers
  bool stationary;  ///< the stationary group holds numbers

  QCM_HD double at(int column, std::size_t i) const {
    return values[static_cast<std::size_t>(column) * points + i];
  }
  QCM_HD static double length(double x, double y, double z) {
    const double l = std::sqrt(x * x + y * y + z * z);
    return l == l ? l : 0.0;  // NaN (an undefined group) does not count
  }
  QCM_HD PhysicsChecks operator()(std::size_t i) const {
    PhysicsChecks s;
    s.computed = true;
    if (evolved) {
      s.max_bloch_length = length(at(kBlochX, i), at(kBlochY, i), at(kBlochZ, i));
      const double sigma = at(kEntropyProduction, i);
      if (sigma == sigma) s.min_entropy_production = sigma;
    }
    if (stationary) {
      const double l = length(at(kStatBlochX, i), at(kStatBlochY, i), at(kStatBlochZ, i));
      s.max_bloch_length = l > s.max_bloch_length ? l : s.max_bloch_length;
    }
    return s;
  }
};

/// PhysicsChecks::merge as the binary operation of a reduction.
struct MergeChecks {
  QCM_HD PhysicsChecks operator()(PhysicsChecks a, const PhysicsChecks& b) const {
    a.merge(b);
    return a;
  }
};

}  // namespace qcm::kernels
