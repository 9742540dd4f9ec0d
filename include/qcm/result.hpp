// @file public API: what a backend computes for a chunk of points.
#pragma once

#include <cmath>
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

/// How series samples are laid out in memory. The GPU wants [sample][column][point]
/// (one thread per point, so neighbouring threads store to neighbouring
/// addresses); a CPU thread runs a few points at a time (SIMD lanes) and wants
/// each one's samples contiguous, [point][sample][column], so that it streams
/// whole cache lines.
enum class SeriesLayout { sample_major, point_major };

/// Physics checks over a chunk: positivity (|r| <= 1) and the second law
/// (cumulative entropy production >= 0), reduced where the results live.
struct PhysicsChecks {
  double max_bloch_length = 0.0;             ///< over final and stationary states
  double min_entropy_production = INFINITY;  ///< over the final group's cumulative Sigma
  bool computed = false;                     ///< false: the backend does not report checks
  void merge(const PhysicsChecks& o) {
    computed = computed || o.computed;
    if (o.max_bloch_length > max_bloch_length) max_bloch_length = o.max_bloch_length;
    if (o.min_entropy_production < min_entropy_production)
      min_entropy_production = o.min_entropy_production;
  }
};

/// Results of one chunk of points.
struct ChunkResult {
  PhysicsChecks checks;
  std::size_t points = 0;
  /// values[column * points + point], all kColumnCount slots (unrequested ones unspecified).
  std::vector<double> values;
  /// UndefinedFlag bits per point (qcm/core/point.hpp).
  std::vector<std::uint32_t> flags;
  /// Series: samples per point, each sample kSeriesColumnCount values, addressed by
  /// sample(s, column, point) for s < max_samples; entries past a point's own sample
  /// count are unspecified.
  std::vector<std::int64_t> sample_counts;
  std::int64_t max_samples = 0;
  std::vector<double> series;
  std::size_t stride_sample = 0, stride_column = 0, stride_point = 0;

  /// Size the buffers (contents unspecified: the backend writes every slot it reports).
  void resize(std::size_t n_points, std::int64_t samples,
              SeriesLayout layout = SeriesLayout::sample_major) {
    points = n_points;
    values.resize(static_cast<std::size_t>(kColumnCount) * n_points);
    flags.resize(n_points);
    sample_counts.resize(n_points);
    max_samples = samples;
    series.resize(static_cast<std::size_t>(samples) * kSeriesColumnCount * n_points);
    if (layout == SeriesLayout::sample_major) {
      stride_point = 1;
      stride_column = n_points;
      stride_sample = kSeriesColumnCount * n_points;
    } else {
      stride_column = 1;
      stride_sample = kSeriesColumnCount;
      stride_point = kSeriesColumnCount * static_cast<std::size_t>(samples);
    }
  }
  double& value(int column, std::size_t point) { return values[column * points + point]; }
  double value(int column, std::size_t point) const { return values[column * points + point]; }
  std::size_t sample_index(std::int64_t s, int column, std::size_t point) const {
    return static_cast<std::size_t>(s) * stride_sample +
           static_cast<std::size_t>(column) * stride_column + point * stride_point;
  }
  double& sample(std::int64_t s, int column, std::size_t point) {
    return series[sample_index(s, column, point)];
  }
  double sample(std::int64_t s, int column, std::size_t point) const {
    return series[sample_index(s, column, point)];
  }
};

}  // namespace qcm
