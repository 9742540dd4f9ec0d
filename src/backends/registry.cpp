// @file backends layer: the one place that knows which backends exist and picks one.
#include <string>
#include <vector>

#include "backends/backends.hpp"
#include "qcm/backend.hpp"

namespace qcm {

std::vector<std::string> compiled_backends() {
#if defined(QCM_HAVE_CUDA)
  return {"reference", "cpu", "cuda"};
#else
  return {"reference", "cpu"};
#endif
}

std::unique_ptr<Backend> make_backend(const std::string& name, Precision precision) {
  if (name == "reference") {
    if (precision != Precision::double_)
      throw BackendUnavailable("backend reference computes in double precision only");
    return make_reference_backend();
  }
  if (name == "cpu") return make_cpu_backend(precision);
  if (name == "cuda") return make_cuda_backend(precision);
  if (name == "auto") {
    return cuda_device_count() > 0 ? make_cuda_backend(precision) : make_cpu_backend(precision);
  }
  throw BackendUnavailable("unknown backend \"" + name +
                           "\" (choose auto, cuda, cpu or reference)");
}

}  // namespace qcm
