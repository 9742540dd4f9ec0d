// @file io layer: AtomicFile (temporary file, fsync, rename).
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace qcm {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  struct stat st {};
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    // A device, FIFO or socket (-o /dev/null, -o /dev/stdout, a named pipe): write
    // into it. Renaming a temporary file over it would replace it by a regular file.
    file_ = std::fopen(target_.c_str(), "w");
    if (!file_)
      throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(errno));
    direct_ = true;
    return;
  }
  const std::filesystem::path dir =
      target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  // Hidden temporary name next to the target (built with append: GCC 12's
  // -Wrestrict misfires on "." + std::string).
  std::string name(".");
  name.append(target_.filename().string()).append(".tmp.XXXXXX");
  const std::string pattern = (dir / name).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const int fd = ::mkstemp(buffer.data());
  if (fd < 0)
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(errno));
  temporary_ = buffer.data();
  file_ = ::fdopen(fd, "w");
  if (!file_) {
    ::close(fd);
    std::filesystem::remove(temporary_);
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_ && !direct_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void AtomicFile::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw std::runtime_error("writing " + target_.string() + " failed: " + std::strerror(errno));
}

void AtomicFile::commit() {
  if (direct_) {
    const bool ok = std::fflush(file_) == 0;
    std::fclose(file_);
    file_ = nullptr;
    committed_ = true;
    if (!ok)
      throw std::runtime_error("writing " + target_.string() + " failed: " + std::strerror(errno));
    return;
  }
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
    throw std::runtime_error("writing " + target_.string() + " failed: " + std::strerror(errno));
  std::fclose(file_);
  file_ = nullptr;
  // Keep the permissions a plainly created file would have (mkstemp uses 0600).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temporary_.c_str(), 0666 & ~mask);
  std::filesystem::rename(temporary_, target_);
  committed_ = true;
  // Make the rename itself durable.
  const std::filesystem::path dir =
      target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::string output_path_problem(const std::filesystem::path& target) {
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec)) return "is a directory";
  const std::filesystem::path dir =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    return "directory " + dir.string() + " does not exist";
  if (::access(dir.c_str(), W_OK) != 0) return "directory " + dir.string() + " is not writable";
  if (std::filesystem::exists(target, ec) && ::access(target.c_str(), W_OK) != 0)
    return "file exists and is not writable";
  return {};
}

void append_file(std::FILE* from, std::FILE* to) {
  std::fflush(from);
  std::rewind(from);
  std::vector<char> buffer(1 << 20);
  std::size_t got;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), from)) > 0)
    if (std::fwrite(buffer.data(), 1, got, to) != got)
      throw std::runtime_error(std::string("writing output failed: ") + std::strerror(errno));
}

}  // namespace qcm
