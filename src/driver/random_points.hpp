// @file driver layer: reproducible random parameter points (tests, benchmarks).
#pragma once

#include <cstdint>
#include <vector>

#include "qcm/core/point.hpp"

namespace qcm {

struct RandomPointOptions {
  std::int64_t max_collisions = 1000;  ///< collisions uniform in [1, max] (or fixed, below)
  std::int64_t fixed_collisions = 0;   ///< > 0: every point gets exactly this many
  bool special_betas = true;           ///< include beta = 0, +inf, -inf among the betas
  bool both_scalings = true;           ///< ultrastrong and fixed; else ultrastrong only
};

/// Random nine-term couplings J_lm in [-1, 1], beta of both signs (|beta| <= 5),
/// omegas in [0.2, 2], dt in [0.01, 0.21], states inside the Bloch ball (every
/// fifth one pure). The same seed gives the same points on every machine.
std::vector<core::PointParams> random_points(std::size_t count, std::uint64_t seed,
                                             const RandomPointOptions& options = {});

}  // namespace qcm
