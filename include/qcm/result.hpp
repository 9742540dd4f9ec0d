// @file public API: what a backend computes for a chunk of points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "qcm/columns.hpp"

namespace qcm {

/// What to compute, shared by every backend.
struct RunRequest {
  std::uint32_t groups = kDefaultGroups;  ///< bitmask of Group
  std::int64_t series_every = 0;          ///< 0: no series; else a sample every k collisions
  bool evolve = true;  ///< false: skip time-stepping (final and decomposition groups are null)
};

/// Number of series samples for n collisions sampled every k (k, 2k, ..., and always n).
inline std::int64_t series_sample_count(std::int64_t n, std::int64_t every) {
  if (every <= 0) return 0;
  return n / every + (n % every != 0 ? 1 : 0);
}

/// Results of one chunk of points, column-major so that GPU stores coalesce.
struct ChunkResult {
  std::size_t points = 0;
  /// values[column * points + point], all kColumnCount slots (unrequested ones unspecified).
  std::vector<double> values;
  /// UndefinedFlag bits per point (qcm/core/point.hpp).
  std::vector<std::uint32_t> flags;
  /// Series: samples per point, and series[(sample * kSeriesColumnCount + c) * points + point]
  /// for sample < max_samples; entries past a point's own sample count are unspecified.
  std::vector<std::int64_t> sample_counts;
  std::int64_t max_samples = 0;
  std::vector<double> series;

  void resize(std::size_t n_points, std::int64_t samples) {
    points = n_points;
    values.assign(static_cast<std::size_t>(kColumnCount) * n_points, 0.0);
    flags.assign(n_points, 0u);
    sample_counts.assign(n_points, 0);
    max_samples = samples;
    series.assign(static_cast<std::size_t>(samples) * kSeriesColumnCount * n_points, 0.0);
  }
  double& value(int column, std::size_t point) { return values[column * points + point]; }
  double value(int column, std::size_t point) const { return values[column * points + point]; }
  double& sample(std::int64_t s, int column, std::size_t point) {
    return series[(static_cast<std::size_t>(s) * kSeriesColumnCount + column) * points + point];
  }
  double sample(std::int64_t s, int column, std::size_t point) const {
    return series[(static_cast<std::size_t>(s) * kSeriesColumnCount + column) * points + point];
  }
};

}  // namespace qcm
