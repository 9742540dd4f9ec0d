// @file kernels layer: the general-model launchers in single precision
// (general_launch.hpp).
#include "kernels/general_launch.hpp"

namespace qcm::kernels {

#if defined(__CUDACC__)
template void cuda::run_general<float>(const GeneralLaunch&, float*, std::size_t);
#else
template void cpu::run_general<float>(const GeneralLaunch&);
#endif

}  // namespace qcm::kernels
