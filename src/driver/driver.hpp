// @file driver layer: expands a sweep in chunks, runs a backend, feeds a sink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "io/result_writer.hpp"
#include "qcm/backend.hpp"
#include "qcm/spec.hpp"

namespace qcm {

struct RunOptions {
  std::string backend = "auto";
  Precision precision = Precision::double_;
  RunRequest request;
  bool progress = false;         ///< progress line on stderr for runs longer than a second
  std::size_t max_memory = 0;    ///< cap on a chunk's result memory in bytes (0: backend default)
  std::size_t chunk_points = 0;  ///< force a chunk size (0: from memory)
  std::filesystem::path checkpoint_dir;  ///< non-empty: store finished chunks there
  bool resume = false;                   ///< continue the checkpoint in checkpoint_dir
};

/// Thrown between chunks after SIGINT/SIGTERM.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Install SIGINT/SIGTERM handlers that make run_sweep stop at the next chunk boundary.
void install_interrupt_handlers();
bool interrupt_requested();

/// The request a spec implies together with the chosen output groups.
RunRequest make_request(const Spec& spec, std::uint32_t groups);

/// Largest number of collisions over the sweep (for sizing series buffers).
std::int64_t max_collisions(const Spec& spec);

/// Run every point of `spec` on `backend`, in chunks, into `sink`.
RunInfo run_sweep(const Spec& spec, const RunOptions& options, Backend& backend, ResultSink& sink);

std::string precision_name(Precision precision);

}  // namespace qcm
