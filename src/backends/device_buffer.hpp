// @file backends layer: CUDA error checking and an owning device buffer (cuda backend only).
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "qcm/backend.hpp"

namespace qcm {

/// CUDA runtime failure with the call text, file and line.
class CudaError : public std::runtime_error {
 public:
  CudaError(cudaError_t code, const char* call, const char* file, int line)
      : std::runtime_error(std::string("CUDA error in ") + call + " (" + file + ":" +
                           std::to_string(line) + "): " + cudaGetErrorString(code)),
        code_(code) {}
  cudaError_t code() const { return code_; }

 private:
  cudaError_t code_;
};

#define QCM_CUDA_CHECK(call)                                                                 \
  do {                                                                                       \
    const cudaError_t qcm_status_ = (call);                                                  \
    if (qcm_status_ == cudaErrorMemoryAllocation) {                                          \
      cudaGetLastError();                                                                    \
      throw OutOfDeviceMemory(#call);                                                        \
    }                                                                                        \
    if (qcm_status_ != cudaSuccess) throw CudaError(qcm_status_, #call, __FILE__, __LINE__); \
  } while (0)

/// One device allocation of n T's, grown on demand and freed once: move-only
/// (a copy would free the same pointer twice).
template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      release();
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~DeviceBuffer() { release(); }

  /// Room for at least n elements (contents are not kept when it grows).
  void ensure(std::size_t n) {
    if (n <= size_) return;
    release();
    QCM_CUDA_CHECK(cudaMalloc(&ptr_, std::max<std::size_t>(n, 1) * sizeof(T)));
    size_ = n;
  }
  T* get() const { return ptr_; }
  std::size_t size() const { return size_; }

 private:
  void release() {
    if (ptr_) cudaFree(ptr_);
    ptr_ = nullptr;
    size_ = 0;
  }
  T* ptr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace qcm
