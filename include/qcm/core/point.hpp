// @file core layer: one fully resolved parameter point (plain data, device-copyable).
#pragma once

#include <cstdint>

namespace qcm::core {

enum class Scaling : std::int32_t {
  ultrastrong = 0,  ///< H_SA = V / sqrt(dt): the regime with a GKSL limit (docs/physics.md §1)
  fixed = 1,        ///< H_SA = V
};

enum class Dynamics : std::int32_t {
  collision = 0,  ///< the collision model itself
  gksl = 1,       ///< the GKSL equation of its continuous limit, integrated exactly
};

/// Everything one point of a sweep needs. Always double: kernels convert to
/// their working precision once per point.
struct PointParams {
  double omega_s = 1.0;
  double omega_a = 1.0;
  double beta = 1.0;           ///< may be +-inf
  double coupling[3][3] = {};  ///< J_lm, l = system Pauli (x,y,z), m = ancilla Pauli
  double dt = 0.05;
  std::int64_t collisions = 1;
  double bloch0[3] = {0, 0, -1};  ///< initial Bloch vector (Tr rho sigma_x, _y, _z)
  Scaling scaling = Scaling::ultrastrong;
  Dynamics dynamics = Dynamics::collision;
};

/// Reasons why a value is undefined (null in the result), one bit each.
/// The host maps each bit to the columns it nulls and a sentence
/// (src/driver/undefined.cpp); every backend reports through these bits.
enum UndefinedFlag : std::uint32_t {
  kBetaEffZeroOmega = 1u << 0,       ///< omega_S = 0: beta_eff = ln(p_g/p_e)/omega_S undefined
  kStationaryOscillates = 1u << 1,   ///< Phi has a unimodular eigenvalue != 1: no limit
  kGkslOddMoment = 1u << 2,          ///< Tr_A[V(1 x rho_A)] != 0: no continuous limit
  kGkslFixedScaling = 1u << 3,       ///< scaling "fixed" has no continuous limit
  kGkslOscillates = 1u << 4,         ///< generator has purely imaginary eigenvalues: no limit
  kGkslDynamicsUndefined = 1u << 5,  ///< "dynamics": "gksl" asked where the limit does not exist
  kDecompositionNeedsCollisions = 1u << 6,  ///< the decomposition of Sigma is per collision
  kGkslCoherentAncilla = 1u << 7,           ///< [rho_A, H_A] != 0: the GKSL currents do not exist
  kGkslNonGibbsAncilla = 1u << 8,     ///< not a Gibbs ancilla: no GKSL entropy production rate
  kGkslDynamicsNoCurrents = 1u << 9,  ///< "dynamics": "gksl" with [rho_A, H_A] != 0
  kGkslDynamicsNoEntropyProduction = 1u << 10,  ///< "dynamics": "gksl", not a Gibbs ancilla
  kBetaEffEqualLevels = 1u << 11,               ///< general form: the two levels have one energy
};

}  // namespace qcm::core
