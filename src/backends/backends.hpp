// @file backends layer: factories of the concrete backends (used by the registry only).
#pragma once

#include <memory>

#include "qcm/backend.hpp"

namespace qcm {

std::unique_ptr<Backend> make_reference_backend();
std::unique_ptr<Backend> make_cpu_backend(Precision precision);
/// Throws BackendUnavailable when CUDA is not compiled in or no device is present.
std::unique_ptr<Backend> make_cuda_backend(Precision precision);

}  // namespace qcm
