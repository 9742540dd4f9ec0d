// @file reference layer: the "reference" backend, one point after another on one thread.
#include <memory>

#include "backends/backends.hpp"
#include "reference/reference_engine.hpp"

namespace qcm {
namespace {

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string device() const override { return "CPU (Eigen, double, 1 thread)"; }

  std::size_t chunk_points(const RunRequest& /*request*/, std::int64_t max_samples,
                           std::size_t max_bytes, const PointFootprint& footprint) const override {
    // One thread, milliseconds per point: small chunks keep interrupts and the
    // progress line prompt.
    constexpr std::size_t kMaxChunk = 4096;
    return chunk_points_within(max_bytes ? max_bytes : kDefaultHostChunkBytes, max_samples,
                               kMaxChunk, footprint);
  }

  void run(std::span<const core::PointParams> points, const RunRequest& request,
           ChunkResult& out) override {
    out.resize(points.size(), max_series_samples(points, request));
    for (std::size_t i = 0; i < points.size(); ++i)
      reference::compute_point(points[i], request, out, i);
  }

  void run(const GeneralChunk& points, const RunRequest& request, ChunkResult& out) override {
    const int d = points.shape.system_dim;
    out.resize(points.count, max_series_samples(points, request), SeriesLayout::sample_major,
               general_column_layout(d), general_series_slots(d));
    for (std::size_t i = 0; i < points.count; ++i)
      reference::compute_general_point(points.record(i), request, out, i);
  }
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() {
  return std::make_unique<ReferenceBackend>();
}

}  // namespace qcm
