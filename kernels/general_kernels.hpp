// @file kernels layer: the entry points of the general-model kernels (general_launch.hpp).
#pragma once

#include <cstddef>

#include "kernels/point_kernel.hpp"
#include "qcm/chunk.hpp"
#include "qcm/core/general_point.hpp"

namespace qcm::kernels {

/// A chunk of general-model points and where their results go (host or device pointers).
struct GeneralLaunch {
  const double* records = nullptr;  ///< count records of `shape`
  core::GeneralShape shape;
  std::size_t count = 0;
  RunRequest request;
  ChunkView out;
};

/// T values of workspace one point in flight needs.
std::size_t general_workspace_values(const core::GeneralShape& shape);

namespace cpu {
template <typename T>
void run_general(const GeneralLaunch& launch);

/// Whether run_general may step points in its x86-64-v3 lanes where the CPU
/// has AVX2 (default: yes). Off, every CPU takes the baseline lanes: tests
/// check both widths on one machine (every point's numbers are the same).
void allow_wide_general_lanes(bool allowed);
bool wide_general_lanes_allowed();
}  // namespace cpu

namespace cuda {
/// d_workspace: `workers` x general_workspace_values(shape) T of device memory;
/// one GPU thread per worker, each computing points in a grid-stride loop.
template <typename T>
void run_general(const GeneralLaunch& launch, T* d_workspace, std::size_t workers);
}  // namespace cuda

}  // namespace qcm::kernels
