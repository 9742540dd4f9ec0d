// @file driver layer: reproducible random parameter points (tests, benchmarks).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "qcm/core/general_point.hpp"
#include "qcm/core/point.hpp"
#include "qcm/result.hpp"

namespace qcm {

struct RandomPointOptions {
  std::int64_t max_collisions = 1000;  ///< collisions uniform in [1, max] (or fixed, below)
  std::int64_t fixed_collisions = 0;   ///< > 0: every point gets exactly this many
  bool zero_beta = true;               ///< beta = 0 for one point in ten
  bool infinite_betas = true;          ///< beta = +inf, -inf for one point in ten each
  bool both_scalings = true;           ///< ultrastrong and fixed; else ultrastrong only
  double coupling_range = 1.0;         ///< J_lm uniform in [-range, range]
  double max_omega = 2.0;              ///< omegas uniform in [0.2, max]
  double max_dt = 0.21;                ///< dt uniform in [0.01, max]
  /// Fraction of points without ancilla sigma_z terms (J_lz = 0), whose GKSL
  /// limit exists at any beta.
  double without_ancilla_z = 0.0;
};

/// One random point: nine-term couplings, beta of both signs (|beta| <= 5, and
/// 0, +-inf as the options say), states inside the Bloch ball (every fifth
/// one pure). Uses only the raw output of mt19937_64, which the standard fixes,
/// so a seed gives the same points on every machine.
core::PointParams random_point(std::mt19937_64& rng, const RandomPointOptions& options = {});

std::vector<core::PointParams> random_points(std::size_t count, std::uint64_t seed,
                                             const RandomPointOptions& options = {});

/// Random general models (any system, any ancilla), for tests and benchmarks.
struct GeneralPointOptions {
  int d_s = 3, d_a = 2;
  std::int64_t max_collisions = 300;  ///< collisions uniform in [1, max] (or fixed, below)
  std::int64_t fixed_collisions = 0;  ///< > 0: every point gets exactly this many
  double gibbs_fraction = 0.7;  ///< else a random ancilla state (one in four not of full rank)
  double fixed_fraction = 0.3;  ///< fixed scaling (never with gksl_limit)
  /// Couplings whose ancilla factors have zero mean in the Gibbs state (off
  /// the diagonal in the eigenbasis of H_A), so that the GKSL limit exists.
  bool gksl_limit = false;
  core::Dynamics dynamics = core::Dynamics::collision;
};

/// `count` records of one shape (qcm/core/general_point.hpp): random Hermitian
/// H_S, H_A (energy scales 0.3 - 2.5), one to three random product coupling
/// terms, beta of both signs with 0 and +-inf one time in twelve each, random
/// initial states (three in ten pure). Reproducible from the seed, as random_points.
struct GeneralPoints {
  core::GeneralShape shape;
  std::vector<double> records;
  std::vector<std::string> descriptions;  ///< one line per point, for messages
  std::size_t count() const { return descriptions.size(); }
  GeneralChunk chunk() const { return {shape, records.data(), count()}; }
};
GeneralPoints random_general_points(std::size_t count, std::uint64_t seed,
                                    const GeneralPointOptions& options = {});

}  // namespace qcm
