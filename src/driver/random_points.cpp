// @file driver layer: reproducible random parameter points.
#include "driver/random_points.hpp"

#include <cmath>

namespace qcm {

core::PointParams random_point(std::mt19937_64& rng, const RandomPointOptions& options) {
  // Distributions are implementation-defined; map the raw bits ourselves.
  const auto unit = [&rng] {
    return static_cast<double>(rng() >> 11) * 0x1.0p-52 - 1.0;
  };  // [-1, 1)
  const auto between = [&](double lo, double hi) { return lo + (hi - lo) * 0.5 * (unit() + 1.0); };
  core::PointParams p;
  p.omega_s = between(0.2, options.max_omega);
  p.omega_a = between(0.2, options.max_omega);
  const std::uint64_t kind = rng() % 10;
  if (options.zero_beta && kind == 0)
    p.beta = 0.0;
  else if (options.infinite_betas && kind == 1)
    p.beta = rng() % 2 ? INFINITY : -INFINITY;
  else
    p.beta = 5 * unit();
  const bool without_z = between(0.0, 1.0) < options.without_ancilla_z;
  for (int l = 0; l < 3; ++l)
    for (int m = 0; m < 3; ++m)
      p.coupling[l][m] = without_z && m == 2 ? 0.0 : options.coupling_range * unit();
  p.scaling =
      options.both_scalings && rng() % 2 ? core::Scaling::fixed : core::Scaling::ultrastrong;
  p.dt = between(0.01, options.max_dt);
  p.collisions = options.fixed_collisions > 0
                     ? options.fixed_collisions
                     : 1 + static_cast<std::int64_t>(
                               rng() % static_cast<std::uint64_t>(options.max_collisions));
  const double r[3] = {unit(), unit(), unit()};
  const double len = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
  const double target = rng() % 5 == 0 ? 1.0 : std::cbrt(between(0.0, 1.0));  // uniform in the ball
  for (int k = 0; k < 3; ++k) p.bloch0[k] = len > 0 ? r[k] / len * target : 0.0;
  return p;
}

std::vector<core::PointParams> random_points(std::size_t count, std::uint64_t seed,
                                             const RandomPointOptions& options) {
  std::mt19937_64 rng(seed);
  std::vector<core::PointParams> points;
  points.reserve(count);
  for (std::size_t i = 0; i < count; ++i) points.push_back(random_point(rng, options));
  return points;
}

}  // namespace qcm
