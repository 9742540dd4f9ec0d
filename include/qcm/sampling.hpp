// @file public API: when a series sample is taken (the one rule every engine follows).
//
// Samples at k = every, 2 every, ..., and always at the last collision n
// (docs/results.md, "Series"). Device-safe.
#pragma once

#include <cstdint>

#include "qcm/core/config.hpp"

namespace qcm {

/// Number of series samples for n collisions sampled every `every` (0: none).
QCM_HD std::int64_t series_sample_count(std::int64_t n, std::int64_t every) {
  if (every <= 0) return 0;
  return n / every + (n % every != 0 ? 1 : 0);
}

/// Which of the collisions k = 1, ..., n are sampled, as a countdown: tick(k),
/// called for k = 1, 2, ..., n in order, is true exactly when k is a multiple
/// of `every` or k = n (never when every is 0). A countdown, not k % every,
/// because the cpu stepping loop is a few nanoseconds per collision.
class SampleClock {
 public:
  QCM_HD SampleClock(std::int64_t every, std::int64_t n)
      : every_(every), until_(every > 0 ? every : n + 1), last_(every > 0 ? n : 0) {}
  QCM_HD bool tick(std::int64_t k) {
    const bool sampled = --until_ == 0 || k == last_;
    if (sampled) until_ = every_;
    return sampled;
  }

 private:
  std::int64_t every_, until_, last_;
};

}  // namespace qcm
