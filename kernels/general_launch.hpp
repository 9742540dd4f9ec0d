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

#include <algorithm>
#include <vector>

// The stepping loop of general models in lanes (GeneralKernel::run_lanes) is
// also compiled for x86-64-v3 (AVX2), where a lane vector of 4 doubles or 8
// floats is one register, and chosen at run time when the CPU has it. Only
// that loop: a clone of the whole kernel (channel, steady states) costs
// minutes of compile time per size and precision and runs no faster. These
// translation units are compiled with -ffp-contract=off (kernels/CMakeLists.txt):
// without FMA contraction the clone computes the numbers of the baseline bit
// for bit, so a point's results never depend on the CPU or on whether it was
// stepped in lanes.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(QCM_NO_CPU_CLONES)
#define QCM_GENERAL_HAS_CLONE 1
#else
#define QCM_GENERAL_HAS_CLONE 0
#endif

namespace qcm::kernels::cpu {
namespace general_detail {

/// Lanes per group: 16 bytes of T (one SSE2 register; 32-byte vectors are
/// lowered badly without AVX), 32 bytes in the x86-64-v3 clone.
template <typename T>
constexpr int kLanes = 16 / sizeof(T);
template <typename T>
constexpr int kWideLanes = 32 / sizeof(T);

/// kernel.evolve_stepping<L>, as compiled for the baseline or (StepLanesV3)
/// for x86-64-v3; GeneralKernel::run_lanes calls one of them.
template <int L>
struct StepLanes {
  template <typename K, typename Ch, typename T>
  void operator()(const K& kernel, Ch* const* ch, const T* const* x0, std::size_t i0,
                  bool decompose) const {
    kernel.template evolve_stepping<L>(ch, x0, i0, decompose);
  }
};

#if QCM_GENERAL_HAS_CLONE
template <int L>
struct StepLanesV3 {
  template <typename K, typename Ch, typename T>
  __attribute__((target("arch=x86-64-v3"), flatten)) void operator()(const K& kernel, Ch* const* ch,
                                                                     const T* const* x0,
                                                                     std::size_t i0,
                                                                     bool decompose) const {
    kernel.template evolve_stepping<L>(ch, x0, i0, decompose);
  }
};
#endif

/// Points [begin, end) in groups of L (lanes), the rest one by one.
template <int L, typename K, typename T, typename StepLanes>
void run_range(const K& kernel, std::int64_t begin, std::int64_t end, T* const* ws,
               const StepLanes& step_lanes) {
  std::int64_t i = begin;
  for (; i + L <= end; i += L)
    kernel.template run_lanes<L>(static_cast<std::size_t>(i), ws, step_lanes);
  for (; i < end; ++i) kernel(static_cast<std::size_t>(i), ws[0]);
}

}  // namespace general_detail

template <typename T>
void run_general(const GeneralLaunch& launch) {
  const core::GeneralPlan plan =
      core::GeneralPlan::make(launch.shape.system_dim, launch.shape.ancilla_dim[0]);
  constexpr int kLanes = general_detail::kLanes<T>, kWideLanes = general_detail::kWideLanes<T>;
#if QCM_GENERAL_HAS_CLONE
  const bool wide = __builtin_cpu_supports("x86-64-v3") && wide_general_lanes_allowed();
#else
  const bool wide = false;
#endif
  launch_detail::dispatch_dimensions(
      launch.shape.system_dim, launch.shape.ancilla_dim[0], [&]<int DS, int DA>() {
        using Kernel = GeneralKernel<T, DS, DA>;
        const Kernel kernel{launch.records, launch.shape, plan, launch.request, launch.out};
        const auto n = static_cast<std::int64_t>(launch.count);
        // Lanes only for fixed sizes. Points per scheduling unit: up to four
        // groups, fewer when that would leave threads without work.
        const int lanes = DS > 0 ? (wide ? kWideLanes : kLanes) : 1;
        const std::int64_t groups_per_thread = n / (lanes * omp_get_max_threads());
        const std::int64_t batch = lanes * std::clamp<std::int64_t>(groups_per_thread / 4, 1, 4);
#pragma omp parallel if (n > 1)
        {
          // One workspace per lane, reused for the thread's points.
          std::vector<T> workspace(plan.total * static_cast<std::size_t>(lanes));
          std::vector<T*> ws(static_cast<std::size_t>(lanes));
          for (int l = 0; l < lanes; ++l) ws[l] = workspace.data() + plan.total * l;
#pragma omp for schedule(dynamic, 1)
          for (std::int64_t b = 0; b < n; b += batch) {
            const std::int64_t e = std::min(b + batch, n);
            if constexpr (DS > 0) {
#if QCM_GENERAL_HAS_CLONE
              if (wide) {
                general_detail::run_range<kWideLanes>(kernel, b, e, ws.data(),
                                                      general_detail::StepLanesV3<kWideLanes>{});
                continue;
              }
#endif
              general_detail::run_range<kLanes>(kernel, b, e, ws.data(),
                                                general_detail::StepLanes<kLanes>{});
            } else {
              for (std::int64_t i = b; i < e; ++i) kernel(static_cast<std::size_t>(i), ws[0]);
            }
          }
        }
      });
}

}  // namespace qcm::kernels::cpu
#endif
