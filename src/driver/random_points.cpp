// @file driver layer: reproducible random parameter points.
#include "driver/random_points.hpp"

#include <cmath>
#include <random>

namespace qcm {

std::vector<core::PointParams> random_points(std::size_t count, std::uint64_t seed,
                                             const RandomPointOptions& options) {
  std::mt19937_64 rng(seed);
  // mt19937_64's output is specified by the standard; map it to [-1, 1) ourselves
  // (distributions are implementation-defined).
  const auto unit = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-52 - 1.0; };
  std::vector<core::PointParams> points;
  points.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    core::PointParams p;
    p.omega_s = 0.2 + 1.8 * std::fabs(unit());
    p.omega_a = 0.2 + 1.8 * std::fabs(unit());
    const std::uint64_t kind = rng() % 10;
    if (options.special_betas && kind < 3)
      p.beta = kind == 0 ? 0.0 : kind == 1 ? INFINITY : -INFINITY;
    else
      p.beta = 5 * unit();
    for (auto& row : p.coupling)
      for (double& j : row) j = unit();
    p.scaling =
        options.both_scalings && rng() % 2 ? core::Scaling::fixed : core::Scaling::ultrastrong;
    p.dt = 0.01 + 0.2 * std::fabs(unit());
    p.collisions = options.fixed_collisions > 0
                       ? options.fixed_collisions
                       : 1 + static_cast<std::int64_t>(
                                 rng() % static_cast<std::uint64_t>(options.max_collisions));
    const double r[3] = {unit(), unit(), unit()};
    const double len = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    const double target = i % 5 == 0 ? 1.0 : std::fabs(unit());
    for (int k = 0; k < 3; ++k) p.bloch0[k] = len > 0 ? r[k] / len * target : 0.0;
    points.push_back(p);
  }
  return points;
}

}  // namespace qcm
