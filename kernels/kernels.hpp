// @file kernels layer: the entry points each backend calls (one per compiled backend).
#pragma once

#include <cstddef>

#include "kernels/point_kernel.hpp"
#include "kernels/summary.hpp"

namespace qcm::kernels {

/// Run PointKernel<T> over `count` points with OpenMP threads (host pointers).
namespace cpu {
template <typename T>
void run_points(const core::PointParams* params, std::size_t count, const RunRequest& request,
                ChunkView out);
int max_threads();
/// The instruction set of the kernel code this CPU runs (point_kernels.cpp).
const char* instruction_set();
PhysicsChecks summarize(const SummarizePoint& op);
}  // namespace cpu

/// The same functor with a grid-stride CUDA launcher (device pointers). Only
/// linked when the cuda backend is compiled in.
namespace cuda {
template <typename T>
void run_points(const core::PointParams* d_params, std::size_t count, const RunRequest& request,
                ChunkView d_out);
/// Reduce on the device (Thrust); `op.values` is a device pointer.
PhysicsChecks summarize(const SummarizePoint& op);
}  // namespace cuda

}  // namespace qcm::kernels
