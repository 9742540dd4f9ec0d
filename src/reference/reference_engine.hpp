// @file reference layer: the literal, general-dimension engine (Eigen, double).
//
// Shares no optimised code with kernels/: it exists to catch their mistakes.
// Every quantity is computed the way PHYSICS.md writes it: build
// rho_S (x) rho_A, conjugate with U, partial-trace, take traces and entropies.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cstddef>

#include "qcm/core/point.hpp"
#include "qcm/result.hpp"

namespace qcm::reference {

/// Dense complex matrix; operators on S (x) A are ordered system first.
using Matrix = Eigen::MatrixXcd;

/// A collision model in any dimension: what every collision shares. Build it
/// with make_model (or make_qubit_model), which derives the last four fields.
struct Model {
  Matrix h_s;         ///< system Hamiltonian, d_S x d_S
  Matrix h_a;         ///< ancilla Hamiltonian, d_A x d_A
  Matrix h_sa;        ///< interaction as it enters U (scaling already applied), d_S d_A square
  double beta = 1.0;  ///< inverse temperature of every fresh ancilla, may be +-inf
  double dt = 0.05;

  Matrix
      rho_a;  ///< Gibbs state e^{-beta H_A}/Z (beta = +-inf: uniform on the lowest/highest level)
  Matrix log_rho_a;           ///< ln rho_A on its support (0 outside it)
  Matrix outside_support_a;   ///< projector onto the kernel of rho_A (zero for finite beta)
  Matrix one_h_a;             ///< 1 (x) H_A
  Matrix u;                   ///< exp(-i dt (H_S (x) 1 + 1 (x) H_A + H_SA))
  double energy_scale = 1.0;  ///< max(1, spread of the spectrum of H_S, of H_A)

  Eigen::Index system_dim() const { return h_s.rows(); }
  Eigen::Index ancilla_dim() const { return h_a.rows(); }
};

/// Derive rho_A, U and the rest from the Hamiltonians (all Hermitian).
Model make_model(Matrix h_s, Matrix h_a, Matrix h_sa, double beta, double dt);

/// The qubit model of a parameter point (PHYSICS.md §1): H = (omega/2) sigma_z,
/// V = sum J_lm sigma_l (x) sigma_m, H_SA = V/sqrt(dt) (ultrastrong) or V (fixed).
Model make_qubit_model(const core::PointParams& p);

/// Pauli matrix sigma_x, sigma_y, sigma_z for axis 0, 1, 2 (basis 0 = excited).
Matrix pauli(int axis);
/// rho = (1 + r . sigma)/2.
Matrix qubit_state(const double bloch[3]);
/// (Tr rho sigma_x, Tr rho sigma_y, Tr rho sigma_z).
std::array<double, 3> bloch_vector(const Matrix& rho);

/// e^{-beta H}/Z without overflow; beta = +-inf gives the uniform mixture over
/// the lowest (highest) eigenspace of H, beta = 0 the maximally mixed state.
Matrix gibbs_state(const Matrix& h, double beta);

Matrix kron(const Matrix& a, const Matrix& b);
/// Tr_A of an operator on S (x) A.
Matrix partial_trace_ancilla(const Matrix& m, Eigen::Index d_s, Eigen::Index d_a);
/// Tr_S of an operator on S (x) A.
Matrix partial_trace_system(const Matrix& m, Eigen::Index d_s, Eigen::Index d_a);

/// S(rho) = -Tr rho ln rho (0 ln 0 = 0).
double von_neumann_entropy(const Matrix& rho);
/// sum_{l != m} |rho_lm| in the basis the matrix is written in.
double coherence_l1(const Matrix& rho);
/// Tr[H rho] - sum_k r_k(decreasing) eps_k(increasing) (paper Eq. 30).
double ergotropy(const Matrix& rho, const Matrix& h);
/// ln(p_g/p_e)/omega_S for a qubit state (+-inf for a pure population; NaN for omega_S = 0).
double qubit_beta_eff(const Matrix& rho, double omega_s);

/// One collision rho_k -> rho_{k+1} and its thermodynamics (PHYSICS.md §3).
struct CollisionThermo {
  Matrix rho_next;                      ///< rho_{k+1} = Tr_A U (rho_k (x) rho_A) U^dagger
  double work = 0;                      ///< W_k
  double heat = 0;                      ///< Q_k
  double delta_energy = 0;              ///< Delta E_k
  double delta_entropy = 0;             ///< Delta S_k
  double entropy_production = 0;        ///< Sigma_k (+inf at beta = +-inf when Q_k != 0)
  double mutual_information = 0;        ///< I(S:A) of rho'_tot
  double ancilla_relative_entropy = 0;  ///< D(rho'_A || rho_A) (+inf outside the support)
};

CollisionThermo collide(const Model& model, const Matrix& rho);

/// Compute every requested group of point `p` into slot `index` of `out`
/// (already resized by the caller, series included). The final and
/// decomposition groups are computed when request.evolve; the stationary and
/// gksl groups are not computed by this engine and are left NaN.
void compute_point(const core::PointParams& p, const RunRequest& request, ChunkResult& out,
                   std::size_t index);

}  // namespace qcm::reference
