// @file driver layer: durable per-chunk checkpoints (`qcm run --checkpoint DIR`, `--resume DIR`).
//
// DIR/manifest.json holds the spec, the options that decide the rows
// (backend, precision, groups, series, chunk size) and the qcm version;
// DIR/chunk-<first point>.bin holds one finished chunk, written to a
// temporary file, fsynced and renamed, so a chunk file is either whole or
// absent whatever kills the run. A resumed run loads finished chunks
// bit for bit and computes only the missing ones.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "qcm/result.hpp"
#include "qcm/spec.hpp"

namespace qcm {

struct CheckpointKey {
  std::string backend;  ///< the backend actually used (not "auto")
  std::string precision;
  std::uint32_t groups = 0;
  std::int64_t series_every = 0;
  std::size_t chunk_points = 0;
};

class Checkpoint {
 public:
  /// Start a new checkpoint in `dir` (created; must not already hold one).
  static Checkpoint create(const std::filesystem::path& dir, const Spec& spec,
                           const CheckpointKey& key);
  /// Open an existing checkpoint; throws SpecError("--resume", ...) when the
  /// spec or the options differ from the ones it was started with.
  static Checkpoint resume(const std::filesystem::path& dir, const Spec& spec,
                           const CheckpointKey& key);
  /// The chunk size recorded in an existing checkpoint (0 if there is none).
  static std::size_t recorded_chunk_points(const std::filesystem::path& dir);
  /// The spec an existing checkpoint was started with (SpecError("--resume", ...)
  /// when there is no checkpoint or its manifest is damaged).
  static Json recorded_spec(const std::filesystem::path& dir);

  bool has_chunk(std::uint64_t first) const;
  /// Load the chunk that starts at point `first` and holds `points` points with
  /// at most `max_samples` series samples each. A file that does not have
  /// exactly that shape (damaged, truncated, from another run) is refused
  /// with an error naming it, before anything is allocated from its contents.
  void load_chunk(std::uint64_t first, std::size_t points, std::int64_t max_samples,
                  const ColumnLayout& columns, const SeriesLayoutSlots& series,
                  ChunkResult& chunk) const;
  void save_chunk(std::uint64_t first, const ChunkResult& chunk) const;

 private:
  Checkpoint(std::filesystem::path dir, CheckpointKey key)
      : dir_(std::move(dir)), key_(std::move(key)) {}
  std::filesystem::path chunk_path(std::uint64_t first) const;
  std::filesystem::path dir_;
  CheckpointKey key_;
};

}  // namespace qcm
