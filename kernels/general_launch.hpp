// @file kernels layer: the launchers of the general-model kernels, included by
// general_kernels_double.cpp and general_kernels_float.cpp, which instantiate
// one precision each (two translation units that build in parallel: each is
// minutes of nvcc time per architecture). Each is compiled twice, like
// point_kernels.cpp: as C++ with OpenMP (namespace cpu) and as CUDA (namespace
// cuda). The one place that turns the dimensions of a sweep into the template
// arguments of GeneralKernel: on the CPU a short list of small sizes is
// compiled with fixed dimensions, every other size (and every size on CUDA,
// for now) takes the runtime (N = 0) instantiation.
#pragma once

#include "kernels/general_kernel.hpp"
#include "kernels/general_kernels.hpp"

namespace qcm::kernels {
namespace launch_detail {

/// Calls f.template operator()<DS, DA>() with the compiled sizes of (d_s, d_a).
/// On CUDA only the runtime-size kernel is compiled for now: each fixed size
/// costs minutes of nvcc time per architecture and precision (CI builds them
/// all on two cores), and which sizes pay on a GPU is for a device to measure.
template <typename F>
void dispatch_dimensions(int d_s, int d_a, F&& f) {
#if defined(__CUDACC__)
  (void)d_s;
  (void)d_a;
#else
  if (d_s == 2 && d_a == 2) return f.template operator()<2, 2>();
  if (d_s == 3 && d_a == 2) return f.template operator()<3, 2>();
  if (d_s == 2 && d_a == 3) return f.template operator()<2, 3>();
  if (d_s == 3 && d_a == 3) return f.template operator()<3, 3>();
  if (d_s == 4 && d_a == 2) return f.template operator()<4, 2>();
  if (d_s == 2 && d_a == 4) return f.template operator()<2, 4>();
  if (d_s == 8 && d_a == 2) return f.template operator()<8, 2>();  // N = 8 oscillator, qubit
#endif
  return f.template operator()<0, 0>();
}

}  // namespace launch_detail

}  // namespace qcm::kernels

#if defined(__CUDACC__)
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace qcm::kernels::cuda {
namespace grid_detail {

template <typename K, typename T>
__global__ void general_grid(K kernel, std::size_t count, T* workspace, std::size_t per_worker) {
  const std::size_t worker = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  const std::size_t workers = static_cast<std::size_t>(blockDim.x) * gridDim.x;
  T* ws = workspace + worker * per_worker;
  for (std::size_t i = worker; i < count; i += workers) kernel(i, ws);
}

}  // namespace grid_detail

template <typename T>
void run_general(const GeneralLaunch& launch, T* d_workspace, std::size_t workers) {
  if (launch.count == 0) return;
  const core::GeneralPlan plan =
      core::GeneralPlan::make(launch.shape.system_dim, launch.shape.ancilla_dim[0]);
  constexpr int kThreads = 64;
  const std::size_t blocks = (workers + kThreads - 1) / kThreads;
  launch_detail::dispatch_dimensions(
      launch.shape.system_dim, launch.shape.ancilla_dim[0], [&]<int DS, int DA>() {
        const GeneralKernel<T, DS, DA> kernel{launch.records, launch.shape, plan, launch.request,
                                              launch.out};
        grid_detail::general_grid<<<static_cast<unsigned>(blocks), kThreads>>>(
            kernel, launch.count, d_workspace, plan.total);
      });
  const cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess)
    throw std::runtime_error(std::string("CUDA kernel launch failed: ") +
                             cudaGetErrorString(launched));
}

}  // namespace qcm::kernels::cuda

#else
#include <omp.h>

#include <vector>

namespace qcm::kernels::cpu {

template <typename T>
void run_general(const GeneralLaunch& launch) {
  const core::GeneralPlan plan =
      core::GeneralPlan::make(launch.shape.system_dim, launch.shape.ancilla_dim[0]);
  launch_detail::dispatch_dimensions(
      launch.shape.system_dim, launch.shape.ancilla_dim[0], [&]<int DS, int DA>() {
        const GeneralKernel<T, DS, DA> kernel{launch.records, launch.shape, plan, launch.request,
                                              launch.out};
        const auto n = static_cast<std::int64_t>(launch.count);
#pragma omp parallel if (n > 1)
        {
          std::vector<T> workspace(plan.total);  // one per thread, reused for its points
#pragma omp for schedule(dynamic, 4)
          for (std::int64_t i = 0; i < n; ++i)
            kernel(static_cast<std::size_t>(i), workspace.data());
        }
      });
}

}  // namespace qcm::kernels::cpu
#endif
