// @file public API: what crosses the host/device boundary for a chunk of points.
//
// Plain, device-copyable data only: the request every backend computes, the
// shape of a chunk's result buffers and the physics checks reduced over it.
// The host owns the buffers in a ChunkResult (qcm/result.hpp, std::vector);
// the kernels see them through a ChunkView (kernels/point_kernel.hpp), raw
// pointers to host memory (cpu) or device memory (cuda) with the same shape.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "qcm/columns.hpp"
#include "qcm/core/config.hpp"

namespace qcm {

/// What to compute, shared by every backend and by the kernels.
struct RunRequest {
  std::uint32_t groups = kDefaultGroups;  ///< bitmask of Group
  std::int64_t series_every = 0;          ///< 0: no series; else a sample every k collisions
  bool evolve = true;  ///< false: skip time-stepping (final and decomposition groups are null)
};

/// How series samples are laid out in memory. The GPU wants [sample][column][point]
/// (one thread per point, so neighbouring threads store to neighbouring
/// addresses); a CPU thread runs a few points at a time (SIMD lanes) and wants
/// each one's samples contiguous, [point][sample][column], so that it streams
/// whole cache lines.
enum class SeriesLayout { sample_major, point_major };

/// The shape of a chunk's buffers: values[(slot + element) * points + point]
/// with the slots of a ColumnLayout (qcm/columns.hpp; for the qubit form
/// slot == column), and the series addressed by sample_index.
struct ChunkShape {
  std::size_t points = 0;
  std::int64_t max_samples = 0;  ///< series samples per point the buffer has room for
  std::size_t stride_sample = 0, stride_column = 0, stride_point = 0;
  ColumnLayout columns = qubit_column_layout();
  SeriesLayoutSlots series = qubit_series_slots();

  static ChunkShape make(std::size_t points, std::int64_t max_samples, SeriesLayout layout,
                         const ColumnLayout& columns = qubit_column_layout(),
                         const SeriesLayoutSlots& series = qubit_series_slots()) {
    ChunkShape s;
    s.points = points;
    s.max_samples = max_samples;
    s.columns = columns;
    s.series = series;
    const std::size_t samples = static_cast<std::size_t>(max_samples);
    const std::size_t per_sample = static_cast<std::size_t>(series.values);
    if (layout == SeriesLayout::sample_major) {
      s.stride_point = 1;
      s.stride_column = points;
      s.stride_sample = per_sample * points;
    } else {
      s.stride_column = 1;
      s.stride_sample = per_sample;
      s.stride_point = per_sample * samples;
    }
    return s;
  }
  QCM_HD std::size_t value_index(int column, std::size_t point, int element = 0) const {
    return static_cast<std::size_t>(columns.slot[column] + element) * points + point;
  }
  QCM_HD std::size_t sample_index(std::int64_t s, int column, std::size_t point,
                                  int element = 0) const {
    return static_cast<std::size_t>(s) * stride_sample +
           static_cast<std::size_t>(series.slot[column] + element) * stride_column +
           point * stride_point;
  }
  std::size_t value_count() const { return static_cast<std::size_t>(columns.slots) * points; }
  std::size_t series_count() const {
    return static_cast<std::size_t>(max_samples) * static_cast<std::size_t>(series.values) * points;
  }
};

/// Physics checks over a chunk: positivity (|r| <= 1) and the second law
/// (cumulative entropy production >= 0), reduced where the results live (an
/// OpenMP reduction on the cpu, Thrust on the device).
struct PhysicsChecks {
  double max_bloch_length = 0.0;             ///< over final and stationary states
  double min_entropy_production = INFINITY;  ///< over the final group's cumulative Sigma
  bool computed = false;                     ///< false: the backend does not report checks
  QCM_HD void merge(const PhysicsChecks& o) {
    computed = computed || o.computed;
    if (o.max_bloch_length > max_bloch_length) max_bloch_length = o.max_bloch_length;
    if (o.min_entropy_production < min_entropy_production)
      min_entropy_production = o.min_entropy_production;
  }
};

}  // namespace qcm
