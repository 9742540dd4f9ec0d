// @file reference layer: the literal, general-dimension engine (Eigen, double).
//
// Shares no optimised code with kernels/: it exists to catch their mistakes.
// Every quantity is computed the way docs/physics.md writes it: build
// rho_S (x) rho_A, conjugate with U, partial-trace, take traces and entropies.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cstddef>
#include <vector>

#include "qcm/core/general_point.hpp"
#include "qcm/core/point.hpp"
#include "qcm/result.hpp"

namespace qcm::reference {

/// Dense complex matrix; operators on S (x) A are ordered system first.
using Matrix = Eigen::MatrixXcd;

/// A collision model in any dimension: what every collision shares. Build it
/// with make_model (or make_qubit_model), which derives the fields after dt.
struct Model {
  Matrix h_s;                 ///< system Hamiltonian, d_S x d_S
  Matrix h_a;                 ///< ancilla Hamiltonian, d_A x d_A
  Matrix v;                   ///< coupling V, unscaled (the GKSL limit is written with it)
  double coupling_scale = 1;  ///< H_SA = coupling_scale V (1/sqrt(dt) ultrastrong, 1 fixed)
  double beta = 1.0;          ///< inverse temperature of every fresh ancilla, may be +-inf
  bool gibbs = true;          ///< false: the ancilla is given by its state (beta is NaN)
  double dt = 0.05;

  Matrix h_sa;  ///< interaction as it enters U: coupling_scale V, d_S d_A square

  Matrix
      rho_a;  ///< Gibbs state e^{-beta H_A}/Z (beta = +-inf: uniform on the lowest/highest level)
  Matrix log_rho_a;                ///< ln rho_A on its support (0 outside it)
  Matrix outside_support_a;        ///< projector onto the kernel of rho_A (zero for finite beta)
  Matrix one_h_a;                  ///< 1 (x) H_A
  Matrix u;                        ///< exp(-i dt (H_S (x) 1 + 1 (x) H_A + H_SA))
  double heat_zero_tolerance = 0;  ///< Tolerances::heat_zero of H_A's spread
  double support_weight_tolerance = 0;  ///< Tolerances::support_weight of H_A's spread

  Eigen::Index system_dim() const { return h_s.rows(); }
  Eigen::Index ancilla_dim() const { return h_a.rows(); }
};

/// Derive rho_A, U and the rest from the Hamiltonians (all Hermitian);
/// H_SA = coupling_scale V.
Model make_model(Matrix h_s, Matrix h_a, Matrix v, double beta, double dt,
                 double coupling_scale = 1.0);

/// The same with an ancilla given by its state rho_A (not a Gibbs state): the
/// entropy production is then I(S:A)' + D(rho'_A || rho_A) (docs/physics.md §3).
Model make_model_with_state(Matrix h_s, Matrix h_a, Matrix v, const Matrix& rho_a, double dt,
                            double coupling_scale = 1.0);

/// The qubit model of a parameter point (docs/physics.md §1): H = (omega/2) sigma_z,
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

/// One collision rho_k -> rho_{k+1} and its thermodynamics (docs/physics.md §3).
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

// ---- steady states and the continuous-time limit (docs/physics.md §4-5) -------------------------
//
// Superoperators act on vec(X), the column-major stacking of a d x d matrix:
// vec(X)[i + d j] = X(i, j). Each is built literally, column by column, by
// applying the map to the matrix units |i><j|.

// Tolerances (qcm/core/tolerances.hpp, shared with the kernels): |lambda - 1| <=
// unit_eigenvalue counts an eigenvalue of the collision map as 1, a modulus >=
// 1 - unit_eigenvalue for any other means the map oscillates; |lambda| <=
// unit_eigenvalue * max_ij |L_ij| counts one of the GKSL generator as 0, and
// |Re lambda| <= the same for any other means the generator oscillates.

/// Phi(X) = Tr_A[U (X (x) rho_A) U^dagger], for any d_S x d_S matrix X (linear).
Matrix collision_map(const Model& model, const Matrix& x);
/// The d_S^2 x d_S^2 matrix of Phi.
Matrix collision_superoperator(const Model& model);

/// The GKSL equation of the continuous limit, with the unscaled V (docs/physics.md §5).
struct GkslLimit {
  Matrix k;                    ///< Tr_A[V^2 (1 (x) rho_A)]
  Matrix liouvillian;          ///< d_S^2 x d_S^2 matrix of L
  Matrix work_operator;        ///< V H_0 V - 1/2 {V^2, H_0}: Wdot = Tr[. (rho (x) rho_A)]
  Matrix heat_operator;        ///< V (1 (x) H_A) V - 1/2 {V^2, 1 (x) H_A}: Qdot likewise
  double odd_moment_norm;      ///< Frobenius norm of Tr_A[V (1 (x) rho_A)]
  bool odd_moment;             ///< odd_moment_norm above rounding: no continuous limit
  double heat_rate_tolerance;  ///< Tolerances::heat_rate_zero: |Qdot| below it counts as 0
};
GkslLimit make_gksl_limit(const Model& model);
/// L(X) = -i[H_S, X] + Tr_A[V (X (x) rho_A) V] - 1/2 {K, X}.
Matrix gksl_generator(const Model& model, const GkslLimit& limit, const Matrix& x);
/// Re Tr[O (X (x) rho_A)]: a current of the GKSL limit in state X (linear in X).
double gksl_current(const Model& model, const Matrix& op, const Matrix& x);
/// dS/dt = -Tr[L(rho) ln rho] (+inf when L(rho) feeds a level rho leaves empty).
double gksl_entropy_rate(const Model& model, const GkslLimit& limit, const Matrix& rho);

/// The state a dynamics settles in from rho_0, with the spectral data behind it.
struct SteadyState {
  Matrix rho;                  ///< spectral projector onto eigenvalue 1 (kernel) applied to rho_0
  int dimension = 0;           ///< eigenvalues counted as 1 (as 0), the trace direction included
  bool oscillates = false;     ///< another eigenvalue on the unit circle (imaginary axis): no limit
  double slowest_modulus = 0;  ///< collision map: largest |lambda| not counted as 1 (0 if none)
};
/// Fixed point of Phi reached from rho_0 (docs/physics.md §4).
SteadyState collision_steady_state(const Model& model, const Matrix& rho0);
/// Fixed point reached from rho_0 of any channel given by its d^2 x d^2 matrix `phi`.
SteadyState map_steady_state(const Matrix& phi, const Matrix& rho0);
/// Kernel of the GKSL generator reached from rho_0 (docs/physics.md §4-5).
SteadyState gksl_steady_state(const GkslLimit& limit, const Matrix& rho0);

/// e^{L t} rho_0 and int_0^t e^{L s} rho_0 ds, exactly (Van Loan's block exponential).
struct GkslFlow {
  Matrix rho;       ///< rho(t)
  Matrix integral;  ///< int_0^t rho(s) ds
};
GkslFlow gksl_flow(const GkslLimit& limit, const Matrix& rho0, double t);

/// Compute every requested group of point `p` into slot `index` of `out`
/// (already resized by the caller, series included): the final and
/// decomposition groups (when request.evolve) with the collision map or, for
/// "dynamics": "gksl", with the GKSL equation; the stationary and gksl groups
/// when requested. Undefined values are NaN with their UndefinedFlag bits set.
void compute_point(const core::PointParams& p, const RunRequest& request, ChunkResult& out,
                   std::size_t index);

// ---- general models (any system, any ancilla; src/reference/general_engine.cpp) --------------

/// The energy eigenbasis of a Hamiltonian in which populations and coherences
/// are reported (docs/physics.md §4): levels in ascending energy; within a
/// degenerate level (closer than Tolerances::degenerate_level), the basis
/// obtained by pivoted Gram-Schmidt of the projections of the space's own
/// basis vectors onto the level, so that it does not depend on the solver.
struct EnergyBasis {
  Eigen::VectorXd energies;  ///< ascending
  Matrix vectors;            ///< column k: the k-th basis vector
};
EnergyBasis energy_basis(const Matrix& h);

// ---- several baths (src/reference/rounds.cpp) ---------------------------------------------------

/// A round of collisions with K baths: one collision with each bath in turn (sequential), or
/// one joint collision with a fresh ancilla of every bath (simultaneous).
struct RoundModel {
  core::Rounds rounds = core::Rounds::sequential;
  std::vector<Model> baths;  ///< bath b's collision model on S (x) A_b
  /// Simultaneous rounds: the joint collision on S (x) A_1 (x) ... (x) A_K, its ancilla
  /// rho_A,1 (x) ... (x) rho_A,K, and each bath's 1 (x) H_A,b and H_SA,b embedded in it.
  Model joint;
  std::vector<Matrix> joint_one_h_a, joint_h_sa;
  double duration = 0;  ///< of one round: K dt (sequential) or dt (simultaneous)
};
RoundModel make_round_model(std::vector<Model> baths, core::Rounds rounds);
/// The round model of a record of a general model with any number of baths.
RoundModel round_model_of(const core::GeneralRecord& record);

/// One round rho_k -> rho_{k+1} and its thermodynamics per bath and in total.
struct RoundThermo {
  Matrix rho_next;
  std::vector<double> work, heat;  ///< W_b = -Delta<H_SA,b>, Q_b = Delta<H_A,b> over the round
  double total_work = 0, total_heat = 0, delta_energy = 0, delta_entropy = 0;
  double entropy_production = 0;  ///< Delta S + sum_b beta_b Q_b, or the I + D form
};
RoundThermo round_step(const RoundModel& model, const Matrix& rho);
/// The d_S^2 x d_S^2 matrix of one round's channel.
Matrix round_superoperator(const RoundModel& model);
/// The GKSL limit of a round: L = -i[H_S, .] + w sum_b D_b, w = 1/K (sequential) or 1, and
/// the weight w by which each bath's single-bath currents are scaled.
struct RoundGksl {
  std::vector<GkslLimit> baths;
  GkslLimit total;  ///< its liouvillian; odd_moment if any bath's is
  double weight = 1;
};
RoundGksl make_round_gksl(const RoundModel& model);

/// compute_point for one record of a general model (qcm/core/general_point.hpp).
void compute_general_point(const core::GeneralRecord& record, const RunRequest& request,
                           ChunkResult& out, std::size_t index);

}  // namespace qcm::reference
