// @file backends layer: the `cpu` and `cuda` backends, both running kernels/PointKernel.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "backends/backends.hpp"
#include "kernels/general_kernels.hpp"
#include "kernels/kernels.hpp"
#include "qcm/backend.hpp"

#if defined(QCM_HAVE_CUDA)
#include <cuda_runtime.h>

#include "backends/device_buffer.hpp"
#endif

namespace qcm {
namespace {

/// Largest joint dimension of one collision the fast backends take.
constexpr int kMaxFastCollisionDim = 64;

std::string general_size_refusal(const std::string& backend, const core::GeneralShape& shape) {
  for (int b = 0; b < shape.baths; ++b)
    if (shape.collision_dim(b) > kMaxFastCollisionDim)
      return "backend " + backend +
             ": a collision of d_S d_A = " + std::to_string(shape.collision_dim(b)) + " levels (" +
             std::to_string(shape.system_dim) + " x " + std::to_string(shape.ancilla_dim[b]) +
             ") is more than the fast backends take (" + std::to_string(kMaxFastCollisionDim) +
             "); use --backend reference";
  return {};
}

/// The kernels' view of `out`'s buffers: the given (host or device) copies, `out`'s shape.
kernels::ChunkView chunk_view(const ChunkResult& out, double* values, std::uint32_t* flags,
                              std::int64_t* counts, double* series) {
  return {values, flags, counts, series, out.shape};
}

kernels::SummarizePoint summary_op(const ChunkResult& out, const double* values,
                                   const RunRequest& request) {
  return {values, out.points, request.evolve && (request.groups & kGroupFinal) != 0,
          (request.groups & kGroupStationary) != 0};
}

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(Precision precision) : precision_(precision) {}
  std::string name() const override { return "cpu"; }
  std::string device() const override {
    return std::to_string(kernels::cpu::max_threads()) + " OpenMP threads, " +
           kernels::cpu::instruction_set() + " kernels";
  }
  std::size_t chunk_points(const RunRequest&, std::int64_t max_samples, std::size_t max_bytes,
                           const PointFootprint& footprint) const override {
    // At most 2^16 points: a chunk then takes well under a second, which is
    // how quickly an interrupt (checked between chunks) and the progress line react.
    return chunk_points_within(max_bytes ? max_bytes : kDefaultHostChunkBytes, max_samples,
                               std::size_t{1} << 16, footprint);
  }
  void run(std::span<const core::PointParams> points, const RunRequest& request,
           ChunkResult& out) override {
    out.resize(points.size(), max_series_samples(points, request), SeriesLayout::point_major);
    const kernels::ChunkView view = chunk_view(out, out.values.data(), out.flags.data(),
                                               out.sample_counts.data(), out.series.data());
    if (precision_ == Precision::double_)
      kernels::cpu::run_points<double>(points.data(), points.size(), request, view);
    else
      kernels::cpu::run_points<float>(points.data(), points.size(), request, view);
    out.checks = kernels::cpu::summarize(summary_op(out, out.values.data(), request));
  }
  void run(const GeneralChunk& points, const RunRequest& request, ChunkResult& out) override {
    const int d = points.shape.system_dim;
    out.resize(points.count, max_series_samples(points, request), SeriesLayout::point_major,
               general_column_layout(d), general_series_slots(d));
    const kernels::ChunkView view = chunk_view(out, out.values.data(), out.flags.data(),
                                               out.sample_counts.data(), out.series.data());
    const kernels::GeneralLaunch launch{points.records, points.shape, points.count, request, view};
    if (precision_ == Precision::double_)
      kernels::cpu::run_general<double>(launch);
    else
      kernels::cpu::run_general<float>(launch);
    out.checks = PhysicsChecks{};  // the Bloch-ball check is the qubit form's
  }
  std::string refuses(const core::GeneralShape& shape) const override {
    return general_size_refusal(name(), shape);
  }

 private:
  Precision precision_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(Precision precision) {
  return std::make_unique<CpuBackend>(precision);
}

#if defined(QCM_HAVE_CUDA)

int cuda_device_count() {
  int count = 0;
  // No driver (cudaErrorInsufficientDriver) or no device means "no device", not a crash.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return count;
}

namespace {

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(Precision precision) : precision_(precision) {
    QCM_CUDA_CHECK(cudaGetDeviceProperties(&props_, 0));
    QCM_CUDA_CHECK(cudaEventCreate(&start_));
    QCM_CUDA_CHECK(cudaEventCreate(&stop_));
  }
  ~CudaBackend() override {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  double last_kernel_seconds() const override { return kernel_seconds_; }
  void run(const GeneralChunk& points, const RunRequest& request, ChunkResult& out) override {
    const int d = points.shape.system_dim;
    out.resize(points.count, max_series_samples(points, request), SeriesLayout::sample_major,
               general_column_layout(d), general_series_slots(d));
    const std::size_t n = points.count;
    records_.ensure(n * points.shape.stride);
    values_.ensure(out.values.size());
    flags_.ensure(n);
    counts_.ensure(n);
    series_.ensure(out.series.size());
    QCM_CUDA_CHECK(cudaMemcpy(records_.get(), points.records,
                              n * points.shape.stride * sizeof(double), cudaMemcpyHostToDevice));
    // One GPU thread per worker, each with its own workspace in device memory,
    // as many as a quarter of the free memory holds (at most one per point).
    const std::size_t per_worker =
        kernels::general_workspace_values(points.shape) *
        (precision_ == Precision::double_ ? sizeof(double) : sizeof(float));
    std::size_t free_bytes = 0, total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) free_bytes = std::size_t{1} << 30;
    const std::size_t workers = std::max<std::size_t>(
        1, std::min(n, free_bytes / 4 / std::max<std::size_t>(per_worker, 1)));
    workspace_.ensure((workers * per_worker + sizeof(double) - 1) / sizeof(double));
    const kernels::ChunkView view =
        chunk_view(out, values_.get(), flags_.get(), counts_.get(), series_.get());
    const kernels::GeneralLaunch launch{records_.get(), points.shape, n, request, view};
    QCM_CUDA_CHECK(cudaEventRecord(start_));
    if (precision_ == Precision::double_)
      kernels::cuda::run_general<double>(launch, reinterpret_cast<double*>(workspace_.get()),
                                         workers);
    else
      kernels::cuda::run_general<float>(launch, reinterpret_cast<float*>(workspace_.get()),
                                        workers);
    QCM_CUDA_CHECK(cudaEventRecord(stop_));
    QCM_CUDA_CHECK(cudaDeviceSynchronize());
    float milliseconds = 0;
    QCM_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start_, stop_));
    kernel_seconds_ = milliseconds / 1e3;
    out.checks = PhysicsChecks{};
    copy_back(out, request, n);
  }
  std::string refuses(const core::GeneralShape& shape) const override {
    return general_size_refusal(name(), shape);
  }
  std::string name() const override { return "cuda"; }
  std::string device() const override {
    return std::string(props_.name) + " (sm_" + std::to_string(props_.major) +
           std::to_string(props_.minor) + ", " + std::to_string(props_.totalGlobalMem >> 20) +
           " MiB)";
  }
  std::size_t chunk_points(const RunRequest&, std::int64_t max_samples, std::size_t max_bytes,
                           const PointFootprint& footprint) const override {
    std::size_t free_bytes = 0, total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) free_bytes = std::size_t{1} << 30;
    // Device buffers and the host copy of the chunk both scale with the chunk.
    std::size_t budget = free_bytes / 10 * 6;
    if (max_bytes) budget = std::min(budget, max_bytes);
    return chunk_points_within(budget, max_samples, std::size_t{1} << 24, footprint);
  }
  void run(std::span<const core::PointParams> points, const RunRequest& request,
           ChunkResult& out) override {
    out.resize(points.size(), max_series_samples(points, request), SeriesLayout::sample_major);
    const std::size_t n = points.size();
    params_.ensure(n);
    values_.ensure(out.values.size());
    flags_.ensure(n);
    counts_.ensure(n);
    series_.ensure(out.series.size());
    QCM_CUDA_CHECK(cudaMemcpy(params_.get(), points.data(), n * sizeof(core::PointParams),
                              cudaMemcpyHostToDevice));
    const kernels::ChunkView view =
        chunk_view(out, values_.get(), flags_.get(), counts_.get(), series_.get());
    QCM_CUDA_CHECK(cudaEventRecord(start_));
    if (precision_ == Precision::double_)
      kernels::cuda::run_points<double>(params_.get(), n, request, view);
    else
      kernels::cuda::run_points<float>(params_.get(), n, request, view);
    QCM_CUDA_CHECK(cudaEventRecord(stop_));
    QCM_CUDA_CHECK(cudaDeviceSynchronize());
    float milliseconds = 0;
    QCM_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start_, stop_));
    kernel_seconds_ = milliseconds / 1e3;
    out.checks = kernels::cuda::summarize(summary_op(out, values_.get(), request));
    copy_back(out, request, n);
  }

 private:
  /// The requested groups (only those cross the bus), the flags, the sample
  /// counts and the series, from the device buffers into `out`.
  void copy_back(ChunkResult& out, const RunRequest& request, std::size_t n) {
    for (const GroupInfo& info : kGroupTable) {
      if (!(request.groups & info.group)) continue;
      const GroupRange g = group_range(out.columns(), info.group);
      const std::size_t first = static_cast<std::size_t>(g.first) * n;
      const std::size_t count = static_cast<std::size_t>(g.last - g.first) * n;
      if (count == 0) continue;
      QCM_CUDA_CHECK(cudaMemcpy(out.values.data() + first, values_.get() + first,
                                count * sizeof(double), cudaMemcpyDeviceToHost));
    }
    QCM_CUDA_CHECK(cudaMemcpy(out.flags.data(), flags_.get(), n * sizeof(std::uint32_t),
                              cudaMemcpyDeviceToHost));
    QCM_CUDA_CHECK(cudaMemcpy(out.sample_counts.data(), counts_.get(), n * sizeof(std::int64_t),
                              cudaMemcpyDeviceToHost));
    if (!out.series.empty())
      QCM_CUDA_CHECK(cudaMemcpy(out.series.data(), series_.get(),
                                out.series.size() * sizeof(double), cudaMemcpyDeviceToHost));
  }

  Precision precision_;
  cudaDeviceProp props_{};
  cudaEvent_t start_{}, stop_{};
  double kernel_seconds_ = -1.0;
  DeviceBuffer<core::PointParams> params_;
  DeviceBuffer<double> values_;
  DeviceBuffer<std::uint32_t> flags_;
  DeviceBuffer<std::int64_t> counts_;
  DeviceBuffer<double> series_;
  DeviceBuffer<double> records_;
  DeviceBuffer<double> workspace_;  // bytes as doubles
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend(Precision precision) {
  if (cuda_device_count() == 0)
    throw BackendUnavailable(
        "backend cuda: no CUDA device found (no GPU, or no NVIDIA driver); use --backend cpu");
  return std::make_unique<CudaBackend>(precision);
}

#else

int cuda_device_count() {
  return 0;
}

std::unique_ptr<Backend> make_cuda_backend(Precision) {
  throw BackendUnavailable(
      "backend cuda is not compiled into this qcm (configure with nvcc present and "
      "-DQCM_ENABLE_CUDA=ON); use --backend cpu");
}

#endif

}  // namespace qcm
