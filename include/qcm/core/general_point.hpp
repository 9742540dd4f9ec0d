// @file core layer: one parameter point of a general model, as a flat record of doubles.
//
// A general model (any system, any ancilla: docs/spec.md, "General models")
// reaches every engine as dense matrices, resolved on the host by the spec
// layer: the system Hamiltonian, the initial state and, per bath, the
// ancilla Hamiltonian, the unscaled coupling V (on S x A, system factor
// first) and either the ancilla's inverse temperature (Gibbs state, derived
// by each engine) or its state. The sizes are the same for every point of a
// sweep, so the records of a chunk are one array of doubles with a fixed
// stride (GeneralShape) that the host, the cpu kernels and the device read
// alike. Matrices are row-major, complex entries stored as (re, im).
//
// Device-safe: plain data and QCM_HD accessors.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "qcm/core/complex.hpp"
#include "qcm/core/config.hpp"
#include "qcm/core/point.hpp"

namespace qcm::core {

/// Most baths a general model may have.
inline constexpr int kMaxBaths = 8;

/// How the collisions with several baths make up one round.
enum class Rounds : std::int32_t {
  sequential = 0,    ///< one collision with a fresh ancilla of each bath, in order
  simultaneous = 1,  ///< one joint collision with a fresh ancilla of every bath
};

/// The sizes of a general model and where each field lies in its record.
struct GeneralShape {
  int system_dim = 0;               ///< d_S
  int baths = 0;                    ///< K >= 1
  int ancilla_dim[kMaxBaths] = {};  ///< d_A of each bath
  Rounds rounds = Rounds::sequential;
  // Offsets in doubles from the start of a record.
  std::size_t h_s = 0;               ///< d_S x d_S complex
  std::size_t rho0 = 0;              ///< d_S x d_S complex
  std::size_t bath[kMaxBaths] = {};  ///< start of bath b's block (see below)
  std::size_t stride = 0;            ///< doubles per record

  // A bath block: beta (NaN when the ancilla is given by its state), then
  // H_A (d_A x d_A), V (d_S d_A x d_S d_A, unscaled), rho_A (d_A x d_A; the
  // given state, zero for a Gibbs ancilla).
  static constexpr std::size_t kBathBeta = 0;
  static constexpr std::size_t kBathHamiltonian = 1;
  QCM_HD std::size_t bath_coupling(int b) const {
    return bath[b] + kBathHamiltonian + 2 * sq(ancilla_dim[b]);
  }
  QCM_HD std::size_t bath_state(int b) const {
    return bath_coupling(b) + 2 * sq(system_dim * ancilla_dim[b]);
  }

  /// Record header: dt, collisions, scaling, dynamics.
  static constexpr std::size_t kDt = 0, kCollisions = 1, kScaling = 2, kDynamics = 3, kHeader = 4;

  static GeneralShape make(int system_dim, int baths, const int* ancilla_dims,
                           Rounds rounds = Rounds::sequential) {
    GeneralShape s;
    s.system_dim = system_dim;
    s.baths = baths;
    s.rounds = rounds;
    std::size_t at = kHeader;
    s.h_s = at;
    at += 2 * sq(system_dim);
    s.rho0 = at;
    at += 2 * sq(system_dim);
    for (int b = 0; b < baths; ++b) {
      s.ancilla_dim[b] = ancilla_dims[b];
      s.bath[b] = at;
      at += 1 + 2 * sq(ancilla_dims[b]) + 2 * sq(system_dim * ancilla_dims[b]) +
            2 * sq(ancilla_dims[b]);
    }
    s.stride = at;
    return s;
  }

  /// Dimension of the joint space of one collision, S x A_b.
  QCM_HD int collision_dim(int b) const { return system_dim * ancilla_dim[b]; }

 private:
  QCM_HD static std::size_t sq(int n) { return static_cast<std::size_t>(n) * n; }
};

/// Read access to one record.
struct GeneralRecord {
  const double* data;
  const GeneralShape* shape;

  QCM_HD double dt() const { return data[GeneralShape::kDt]; }
  QCM_HD std::int64_t collisions() const {
    return static_cast<std::int64_t>(data[GeneralShape::kCollisions]);
  }
  QCM_HD Scaling scaling() const {
    return static_cast<Scaling>(static_cast<int>(data[GeneralShape::kScaling]));
  }
  QCM_HD Dynamics dynamics() const {
    return static_cast<Dynamics>(static_cast<int>(data[GeneralShape::kDynamics]));
  }
  /// Entry (i, j) of the n x n complex matrix stored at `offset`.
  QCM_HD Complex<double> entry(std::size_t offset, int n, int i, int j) const {
    const double* e = data + offset + 2 * (static_cast<std::size_t>(i) * n + j);
    return {e[0], e[1]};
  }
  QCM_HD Complex<double> h_s(int i, int j) const {
    return entry(shape->h_s, shape->system_dim, i, j);
  }
  QCM_HD Complex<double> rho0(int i, int j) const {
    return entry(shape->rho0, shape->system_dim, i, j);
  }
  QCM_HD double beta(int b) const { return data[shape->bath[b] + GeneralShape::kBathBeta]; }
  /// The ancilla of bath b is a Gibbs state of its Hamiltonian at beta(b).
  QCM_HD bool gibbs(int b) const { return !std::isnan(beta(b)); }
  QCM_HD Complex<double> h_a(int b, int i, int j) const {
    return entry(shape->bath[b] + GeneralShape::kBathHamiltonian, shape->ancilla_dim[b], i, j);
  }
  QCM_HD Complex<double> coupling(int b, int i, int j) const {
    return entry(shape->bath_coupling(b), shape->collision_dim(b), i, j);
  }
  QCM_HD Complex<double> rho_a(int b, int i, int j) const {
    return entry(shape->bath_state(b), shape->ancilla_dim[b], i, j);
  }
};

/// Write access, for the spec layer that fills records.
struct GeneralRecordWriter {
  double* data;
  const GeneralShape* shape;

  void header(double dt, std::int64_t collisions, Scaling scaling, Dynamics dynamics) const {
    data[GeneralShape::kDt] = dt;
    data[GeneralShape::kCollisions] = static_cast<double>(collisions);
    data[GeneralShape::kScaling] = static_cast<double>(static_cast<int>(scaling));
    data[GeneralShape::kDynamics] = static_cast<double>(static_cast<int>(dynamics));
  }
  void set(std::size_t offset, int n, int i, int j, double re, double im) const {
    double* e = data + offset + 2 * (static_cast<std::size_t>(i) * n + j);
    e[0] = re;
    e[1] = im;
  }
};

}  // namespace qcm::core
