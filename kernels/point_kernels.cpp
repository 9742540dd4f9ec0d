// @file kernels layer: the launchers. This one file is compiled twice: as C++
// (OpenMP loop, namespace cpu) and as CUDA (grid-stride __global__, namespace
// cuda), see kernels/CMakeLists.txt. The functor itself is in point_kernel.hpp.
#include "kernels/kernels.hpp"

#if defined(__CUDACC__)
#include <cuda_runtime.h>
#include <thrust/execution_policy.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

#include <stdexcept>
#include <string>

namespace qcm::kernels::cuda {
namespace {

template <typename F>
__global__ void grid_stride(std::size_t count, F functor) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<std::size_t>(blockDim.x) * gridDim.x)
    functor(i);
}

}  // namespace

template <typename T>
void run_points(const core::PointParams* d_params, std::size_t count, const RunRequest& request,
                ChunkView d_out) {
  if (count == 0) return;
  constexpr int kThreads = 128;
  const std::size_t blocks_needed = (count + kThreads - 1) / kThreads;
  const unsigned blocks =
      static_cast<unsigned>(blocks_needed < 65535 * 32 ? blocks_needed : 65535 * 32);
  grid_stride<<<blocks, kThreads>>>(count, PointKernel<T>{d_params, request, d_out});
  const cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess)
    throw std::runtime_error(std::string("CUDA kernel launch failed: ") +
                             cudaGetErrorString(launched));
}

template void run_points<double>(const core::PointParams*, std::size_t, const RunRequest&,
                                 ChunkView);
template void run_points<float>(const core::PointParams*, std::size_t, const RunRequest&,
                                ChunkView);

PhysicsChecks summarize(const SummarizePoint& op) {
  return thrust::transform_reduce(thrust::device, thrust::counting_iterator<std::size_t>(0),
                                  thrust::counting_iterator<std::size_t>(op.points), op,
                                  PhysicsChecks{}, MergeChecks{});
}

}  // namespace qcm::kernels::cuda

#else
#include <omp.h>

// The cpu kernels are compiled twice, for the portable x86-64 baseline (SSE2)
// and for x86-64-v3 (AVX2, FMA), and the loader picks the clone that the
// running CPU supports (GCC function multiversioning through an ifunc).
// `flatten` inlines the whole functor into each clone, so that its loops are
// compiled for the clone's instruction set; functions that stay out of line
// are the baseline ones, which every x86-64 CPU runs. Measured on the 2-core
// AMD EPYC (docs/BENCHMARKS.md): the lane vectors of evolve_stepping are one
// AVX2 register instead of two SSE2 ones.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(QCM_NO_CPU_CLONES)
#define QCM_CPU_HAS_CLONES 1
#define QCM_CPU_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define QCM_CPU_HAS_CLONES 0
#define QCM_CPU_CLONES
#endif

namespace qcm::kernels::cpu {
namespace {

/// Points handed to the functor together (its lane vectors, evolve_stepping in
/// point_kernel.hpp): one AVX2 register, or two SSE2 ones.
template <typename T>
constexpr int kCpuLanes = 32 / sizeof(T);

template <typename T>
void run_range(const PointKernel<T>& functor, std::int64_t begin, std::int64_t end) {
  std::int64_t i = begin;
  for (; i + kCpuLanes<T> <= end; i += kCpuLanes<T>)
    functor.template run_lanes<kCpuLanes<T>>(static_cast<std::size_t>(i));
  for (; i < end; ++i) functor(static_cast<std::size_t>(i));
}

// target_clones takes functions, not templates: one per precision.
QCM_CPU_CLONES void run_range_cloned(const PointKernel<double>& functor, std::int64_t begin,
                                     std::int64_t end) {
  run_range(functor, begin, end);
}
QCM_CPU_CLONES void run_range_cloned(const PointKernel<float>& functor, std::int64_t begin,
                                     std::int64_t end) {
  run_range(functor, begin, end);
}

}  // namespace

template <typename T>
void run_points(const core::PointParams* params, std::size_t count, const RunRequest& request,
                ChunkView out) {
  const PointKernel<T> functor{params, request, out};
  const auto n = static_cast<std::int64_t>(count);
  constexpr std::int64_t kBatch = 256;  // points per scheduling unit
  // A few points are not worth waking the thread team (milliseconds under load).
#pragma omp parallel if (n > 64)
  {
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t b = 0; b < n; b += kBatch)
      run_range_cloned(functor, b, b + kBatch < n ? b + kBatch : n);
  }
}

int max_threads() {
  return omp_get_max_threads();
}

const char* instruction_set() {
#if QCM_CPU_HAS_CLONES
  // The test of the ifunc resolver that picks the clone.
  return __builtin_cpu_supports("x86-64-v3") ? "x86-64-v3 (AVX2, FMA)" : "x86-64 baseline";
#else
  return "compiler default";
#endif
}

PhysicsChecks summarize(const SummarizePoint& op) {
  PhysicsChecks total;
  const auto n = static_cast<std::int64_t>(op.points);
#pragma omp parallel
  {
    PhysicsChecks mine;
#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) mine.merge(op(static_cast<std::size_t>(i)));
#pragma omp critical
    total.merge(mine);
  }
  return total;
}

template void run_points<double>(const core::PointParams*, std::size_t, const RunRequest&,
                                 ChunkView);
template void run_points<float>(const core::PointParams*, std::size_t, const RunRequest&,
                                ChunkView);

}  // namespace qcm::kernels::cpu
#endif
