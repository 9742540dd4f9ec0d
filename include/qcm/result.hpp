// @file public API: what a backend computes for a chunk of points (host side).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "qcm/chunk.hpp"
#include "qcm/core/point.hpp"
#include "qcm/sampling.hpp"

namespace qcm {

/// Results of one chunk of points, in host memory. The kernels write into
/// the same shape through a ChunkView (qcm/chunk.hpp explains why there are two).
struct ChunkResult {
  PhysicsChecks checks;
  std::size_t points = 0;
  /// values[column * points + point], all kColumnCount slots (unrequested ones unspecified).
  std::vector<double> values;
  /// UndefinedFlag bits per point (qcm/core/point.hpp).
  std::vector<std::uint32_t> flags;
  /// Series: samples per point, each sample kSeriesColumnCount values, addressed by
  /// sample(s, column, point) for s < shape.max_samples; entries past a point's own
  /// sample count are unspecified.
  std::vector<std::int64_t> sample_counts;
  std::vector<double> series;
  ChunkShape shape;

  /// Size the buffers (contents unspecified: the backend writes every slot it reports).
  void resize(std::size_t n_points, std::int64_t samples,
              SeriesLayout layout = SeriesLayout::sample_major) {
    points = n_points;
    shape = ChunkShape::make(n_points, samples, layout);
    values.resize(shape.value_count());
    flags.resize(n_points);
    sample_counts.resize(n_points);
    series.resize(shape.series_count());
  }
  std::int64_t max_samples() const { return shape.max_samples; }
  double& value(int column, std::size_t point) { return values[shape.value_index(column, point)]; }
  double value(int column, std::size_t point) const {
    return values[shape.value_index(column, point)];
  }
  double& sample(std::int64_t s, int column, std::size_t point) {
    return series[shape.sample_index(s, column, point)];
  }
  double sample(std::int64_t s, int column, std::size_t point) const {
    return series[shape.sample_index(s, column, point)];
  }
};

/// Series samples the largest point of a chunk needs (0 without a series or
/// without evolution): every backend sizes its series buffer with this.
inline std::int64_t max_series_samples(std::span<const core::PointParams> points,
                                       const RunRequest& request) {
  if (!request.evolve || request.series_every <= 0) return 0;
  std::int64_t samples = 0;
  for (const core::PointParams& p : points) {
    const std::int64_t s = series_sample_count(p.collisions, request.series_every);
    if (s > samples) samples = s;
  }
  return samples;
}

/// Result bytes one point needs (values, flags, sample count, series, parameters).
inline std::size_t result_bytes_per_point(std::int64_t max_samples) {
  return sizeof(double) * kColumnCount + sizeof(std::uint32_t) + sizeof(std::int64_t) +
         sizeof(core::PointParams) +
         sizeof(double) * kSeriesColumnCount * static_cast<std::size_t>(max_samples);
}

/// Result memory of one chunk on the host when the user sets no --max-memory.
inline constexpr std::size_t kDefaultHostChunkBytes = std::size_t{256} << 20;

/// The chunk size every backend uses: as many points as `budget_bytes` of
/// results hold, at least 1 and at most `cap`.
inline std::size_t chunk_points_within(std::size_t budget_bytes, std::int64_t max_samples,
                                       std::size_t cap) {
  const std::size_t n = budget_bytes / result_bytes_per_point(max_samples);
  return n < 1 ? 1 : (n > cap ? cap : n);
}

}  // namespace qcm
