// @file io layer: output files written whole or not at all.
//
// Data goes to a temporary file in the target's directory; commit() flushes,
// fsyncs and renames it over the target. Destroyed without commit() (error,
// interruption), the temporary file is removed and the target is untouched.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace qcm {

class AtomicFile {
 public:
  /// Opens the temporary file; throws std::runtime_error naming the path if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* handle() { return file_; }
  void write(std::string_view text);
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  bool direct_ = false;  ///< target is a device, FIFO or socket: written in place
};

/// Check up front that `target` can be written (its directory exists and is
/// writable, and it is not a directory). Returns an empty string if so, else why not.
std::string output_path_problem(const std::filesystem::path& target);

/// Copy the whole of `from` (rewound first) to `to`.
void append_file(std::FILE* from, std::FILE* to);

}  // namespace qcm
