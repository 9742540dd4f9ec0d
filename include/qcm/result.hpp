// @file public API: what a backend computes for a chunk of points (host side).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "qcm/chunk.hpp"
#include "qcm/core/general_point.hpp"
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
              SeriesLayout layout = SeriesLayout::sample_major,
              const ColumnLayout& columns = qubit_column_layout(),
              const SeriesLayoutSlots& series_slots = qubit_series_slots()) {
    points = n_points;
    shape = ChunkShape::make(n_points, samples, layout, columns, series_slots);
    values.resize(shape.value_count());
    flags.resize(n_points);
    sample_counts.resize(n_points);
    series.resize(shape.series_count());
  }
  std::int64_t max_samples() const { return shape.max_samples; }
  double& value(int column, std::size_t point, int element = 0) {
    return values[shape.value_index(column, point, element)];
  }
  double value(int column, std::size_t point, int element = 0) const {
    return values[shape.value_index(column, point, element)];
  }
  double& sample(std::int64_t s, int column, std::size_t point, int element = 0) {
    return series[shape.sample_index(s, column, point, element)];
  }
  double sample(std::int64_t s, int column, std::size_t point, int element = 0) const {
    return series[shape.sample_index(s, column, point, element)];
  }
  const ColumnLayout& columns() const { return shape.columns; }
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

/// What one point costs in memory: its results and its parameters.
struct PointFootprint {
  std::size_t value_slots = kQubitColumnCount;              ///< ColumnLayout::slots
  std::size_t values_per_sample = kQubitSeriesColumnCount;  ///< SeriesLayoutSlots::values
  std::size_t parameter_bytes = sizeof(core::PointParams);  ///< a PointParams or a general record
};

/// A chunk of points of a general model: records of one shape
/// (qcm/core/general_point.hpp), one after the other.
struct GeneralChunk {
  core::GeneralShape shape;
  const double* records = nullptr;
  std::size_t count = 0;
  /// A record points into `shape`: only an lvalue chunk hands them out.
  core::GeneralRecord record(std::size_t i) const& { return {records + i * shape.stride, &shape}; }
  core::GeneralRecord record(std::size_t i) const&& = delete;
};

/// max_series_samples for a chunk of general points.
inline std::int64_t max_series_samples(const GeneralChunk& points, const RunRequest& request) {
  if (!request.evolve || request.series_every <= 0) return 0;
  std::int64_t samples = 0;
  for (std::size_t i = 0; i < points.count; ++i) {
    const std::int64_t s = series_sample_count(points.record(i).collisions(), request.series_every);
    if (s > samples) samples = s;
  }
  return samples;
}

/// What a point of a general model of this shape costs in memory.
inline PointFootprint footprint_of(const core::GeneralShape& shape) {
  return {static_cast<std::size_t>(general_column_layout(shape.system_dim).slots),
          static_cast<std::size_t>(general_series_slots(shape.system_dim).values),
          sizeof(double) * shape.stride};
}

/// Result bytes one point needs (values, flags, sample count, series, parameters).
inline std::size_t result_bytes_per_point(std::int64_t max_samples,
                                          const PointFootprint& footprint = {}) {
  return sizeof(double) * footprint.value_slots + sizeof(std::uint32_t) + sizeof(std::int64_t) +
         footprint.parameter_bytes +
         sizeof(double) * footprint.values_per_sample * static_cast<std::size_t>(max_samples);
}

/// Result memory of one chunk on the host when the user sets no --max-memory.
inline constexpr std::size_t kDefaultHostChunkBytes = std::size_t{256} << 20;

/// The chunk size every backend uses: as many points as `budget_bytes` of
/// results hold, at least 1 and at most `cap`.
inline std::size_t chunk_points_within(std::size_t budget_bytes, std::int64_t max_samples,
                                       std::size_t cap, const PointFootprint& footprint = {}) {
  const std::size_t n = budget_bytes / result_bytes_per_point(max_samples, footprint);
  return n < 1 ? 1 : (n > cap ? cap : n);
}

}  // namespace qcm
