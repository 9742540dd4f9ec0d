// @file kernels layer: the general-model launchers in double precision
// (general_launch.hpp), and the host functions of general_kernels.hpp.
#include <atomic>

#include "kernels/general_launch.hpp"

namespace qcm::kernels {

#if !defined(__CUDACC__)  // host functions, in the cpu library only
std::size_t general_workspace_values(const core::GeneralShape& shape) {
  return core::GeneralPlan::make(shape.system_dim, shape.ancilla_dim[0]).total;
}

namespace {
std::atomic<bool> wide_lanes_allowed{true};
}
void cpu::allow_wide_general_lanes(bool allowed) {
  wide_lanes_allowed = allowed;
}
bool cpu::wide_general_lanes_allowed() {
  return wide_lanes_allowed;
}
#endif

#if defined(__CUDACC__)
template void cuda::run_general<double>(const GeneralLaunch&, double*, std::size_t);
#else
template void cpu::run_general<double>(const GeneralLaunch&);
#endif

}  // namespace qcm::kernels
