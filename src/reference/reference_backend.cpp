// @file reference layer: the "reference" backend, one point after another on one thread.
#include <algorithm>
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
                           std::size_t max_bytes) const override {
    constexpr std::size_t kDefaultChunk = 4096;
    if (max_bytes == 0) return kDefaultChunk;
    const std::size_t per_point =
        sizeof(double) *
            (kColumnCount + static_cast<std::size_t>(max_samples) * kSeriesColumnCount) +
        sizeof(std::uint32_t) + sizeof(std::int64_t);
    return std::clamp<std::size_t>(max_bytes / per_point, 1, kDefaultChunk);
  }

  void run(std::span<const core::PointParams> points, const RunRequest& request,
           ChunkResult& out) override {
    std::int64_t max_samples = 0;
    if (request.evolve)
      for (const auto& p : points)
        max_samples =
            std::max(max_samples, series_sample_count(p.collisions, request.series_every));
    out.resize(points.size(), max_samples);
    for (std::size_t i = 0; i < points.size(); ++i)
      reference::compute_point(points[i], request, out, i);
  }
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() {
  return std::make_unique<ReferenceBackend>();
}

}  // namespace qcm
