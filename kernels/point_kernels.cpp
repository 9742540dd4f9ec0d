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
void run_points(const core::PointParams* d_params, std::size_t count, KernelRequest request,
                KernelOutputs d_out) {
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

template void run_points<double>(const core::PointParams*, std::size_t, KernelRequest,
                                 KernelOutputs);
template void run_points<float>(const core::PointParams*, std::size_t, KernelRequest,
                                KernelOutputs);

ChunkSummary summarize(const SummarizePoint& op) {
  return thrust::transform_reduce(thrust::device, thrust::counting_iterator<std::size_t>(0),
                                  thrust::counting_iterator<std::size_t>(op.points), op,
                                  ChunkSummary{}, MergeSummaries{});
}

}  // namespace qcm::kernels::cuda

#else
#include <omp.h>

namespace qcm::kernels::cpu {

template <typename T>
void run_points(const core::PointParams* params, std::size_t count, KernelRequest request,
                KernelOutputs out) {
  const PointKernel<T> functor{params, request, out};
  const auto n = static_cast<std::int64_t>(count);
  // A few points are not worth waking the thread team (milliseconds under load).
#pragma omp parallel if (n > 64)
  {
#pragma omp for schedule(dynamic, 256)
    for (std::int64_t i = 0; i < n; ++i) functor(static_cast<std::size_t>(i));
#if defined(__SSE2__)
    _mm_sfence();  // make the kernel's non-temporal stores visible
#endif
  }
}

int max_threads() {
  return omp_get_max_threads();
}

ChunkSummary summarize(const SummarizePoint& op) {
  ChunkSummary total;
  const MergeSummaries merge;
  const auto n = static_cast<std::int64_t>(op.points);
#pragma omp parallel
  {
    ChunkSummary mine;
#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) mine = merge(mine, op(static_cast<std::size_t>(i)));
#pragma omp critical
    total = merge(total, mine);
  }
  return total;
}

template void run_points<double>(const core::PointParams*, std::size_t, KernelRequest,
                                 KernelOutputs);
template void run_points<float>(const core::PointParams*, std::size_t, KernelRequest,
                                KernelOutputs);

}  // namespace qcm::kernels::cpu
#endif
