// @file public API: the backend interface and registry.
//
// A backend computes a chunk of points. The registry is the one place that
// knows which backends exist; backends not compiled in are stubs that throw
// BackendUnavailable, so the driver has no #ifdefs.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "qcm/core/point.hpp"
#include "qcm/result.hpp"

namespace qcm {

enum class Precision { double_, float_ };

class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A device allocation failed; the driver shrinks the chunk and retries.
class OutOfDeviceMemory : public std::runtime_error {
 public:
  explicit OutOfDeviceMemory(const std::string& call)
      : std::runtime_error("device out of memory in " + call) {}
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  /// Human-readable device description ("2 OpenMP threads", "NVIDIA H200 (sm_90)").
  virtual std::string device() const = 0;
  /// Largest number of points per chunk this backend wants for the request
  /// (bounded by its memory; max_bytes caps the chunk's result memory, 0 =
  /// default; `footprint` is what one point costs).
  virtual std::size_t chunk_points(const RunRequest& request, std::int64_t max_samples,
                                   std::size_t max_bytes,
                                   const PointFootprint& footprint) const = 0;
  /// Compute `points` into `out` (out is resized by the backend).
  virtual void run(std::span<const core::PointParams> points, const RunRequest& request,
                   ChunkResult& out) = 0;
  /// The same for points of a general model.
  virtual void run(const GeneralChunk& points, const RunRequest& request, ChunkResult& out) = 0;
  /// Why this backend cannot compute general models of this shape ("" if it can).
  virtual std::string refuses(const core::GeneralShape& /*shape*/) const { return {}; }
  /// Seconds the last run() spent in the kernel alone (without transfers), or
  /// a negative number where that is the same as the whole run().
  virtual double last_kernel_seconds() const { return -1.0; }
};

/// "reference", "cpu", "cuda" or "auto" (cuda when a device is present, else cpu).
/// Throws BackendUnavailable with a clear message when not compiled in or no device.
std::unique_ptr<Backend> make_backend(const std::string& name, Precision precision);

/// Names of the backends compiled into this binary.
std::vector<std::string> compiled_backends();

/// Number of usable CUDA devices (0 without CUDA or without a driver).
int cuda_device_count();

}  // namespace qcm
