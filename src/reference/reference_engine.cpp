// @file reference layer: the literal, general-dimension engine (Eigen, double).
#include "reference/reference_engine.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "qcm/columns.hpp"

namespace qcm::reference {
namespace {

using Complex = std::complex<double>;
using Solver = Eigen::SelfAdjointEigenSolver<Matrix>;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// At beta = +-inf, Sigma_k = Delta S_k + beta Q_k is +inf when Q_k != 0. "!= 0"
// means |Q_k| > kHeatZeroTolerance * energy_scale: rounding in U rho U^dagger
// leaves |Q_k| ~ 1e-16 * energy_scale when the exact heat is zero (e.g. a
// ground-state system and ancilla under an exchange coupling).
constexpr double kHeatZeroTolerance = 1e-14;
// D(rho'_A || rho_A) is +inf when rho'_A has weight above this (a probability)
// in the kernel of rho_A, which is non-empty only at beta = +-inf.
constexpr double kSupportWeightTolerance = 1e-14;
// Eigenvalues of H_A this close (relative to its largest |eigenvalue|) count as
// one level when choosing the support of rho_A at beta = +-inf.
constexpr double kDegeneracyTolerance = 1e-12;

double trace_product(const Matrix& a, const Matrix& b) {
  return (a * b).trace().real();
}

Matrix identity(Eigen::Index d) {
  return Matrix::Identity(d, d);
}

double spectral_spread(const Matrix& h) {
  const Eigen::VectorXd e = Solver(h, Eigen::EigenvaluesOnly).eigenvalues();
  return e.maxCoeff() - e.minCoeff();
}

// e^{-beta H}/Z with ln of it on its support and the projector onto its kernel.
struct Gibbs {
  Matrix rho;
  Matrix log_rho;
  Matrix outside_support;
};

Gibbs make_gibbs(const Matrix& h, double beta) {
  const Solver solver(h);
  const Eigen::VectorXd& e = solver.eigenvalues();
  const Matrix& v = solver.eigenvectors();
  const Eigen::Index d = h.rows();
  // Energies relative to the most populated level, so every weight is <= 1 and
  // nothing overflows; beta = 0 makes every weight 1.
  const double e_ref = beta >= 0 ? e.minCoeff() : e.maxCoeff();
  Eigen::VectorXd p(d), log_p(d);
  Eigen::VectorXd outside = Eigen::VectorXd::Zero(d);
  if (std::isinf(beta)) {
    const double tolerance = kDegeneracyTolerance * e.cwiseAbs().maxCoeff();
    Eigen::Index degeneracy = 0;
    for (Eigen::Index i = 0; i < d; ++i) {
      if (std::abs(e(i) - e_ref) > tolerance)
        outside(i) = 1.0;
      else
        ++degeneracy;
    }
    for (Eigen::Index i = 0; i < d; ++i) {
      p(i) = outside(i) == 1.0 ? 0.0 : 1.0 / static_cast<double>(degeneracy);
      log_p(i) = outside(i) == 1.0 ? 0.0 : -std::log(static_cast<double>(degeneracy));
    }
  } else {
    Eigen::VectorXd log_w(d);
    for (Eigen::Index i = 0; i < d; ++i) log_w(i) = -beta * (e(i) - e_ref);
    const double log_z = std::log(log_w.array().exp().sum());
    log_p = log_w.array() - log_z;
    p = log_p.array().exp();
  }
  const Matrix vt = v.adjoint();
  return {v * p.cast<Complex>().asDiagonal() * vt, v * log_p.cast<Complex>().asDiagonal() * vt,
          v * outside.cast<Complex>().asDiagonal() * vt};
}

// Sigma_k = Delta S_k + beta Q_k (PHYSICS.md §3), with beta = +-inf handled.
double entropy_production(double beta, double delta_entropy, double heat, double energy_scale) {
  if (std::isinf(beta))
    return std::abs(heat) > kHeatZeroTolerance * energy_scale ? kInf : delta_entropy;
  return delta_entropy + beta * heat;
}

// D(rho'_A || rho_A) = Tr rho'_A (ln rho'_A - ln rho_A).
double ancilla_relative_entropy(const Model& m, const Matrix& rho_a_after) {
  if (trace_product(m.outside_support_a, rho_a_after) > kSupportWeightTolerance) return kInf;
  return -von_neumann_entropy(rho_a_after) - trace_product(rho_a_after, m.log_rho_a);
}

// The state-only columns of the final group (PHYSICS.md §4).
void write_state_columns(const Model& m, const core::PointParams& p, const Matrix& rho,
                         ChunkResult& out, std::size_t index) {
  const auto r = bloch_vector(rho);
  out.value(kBlochX, index) = r[0];
  out.value(kBlochY, index) = r[1];
  out.value(kBlochZ, index) = r[2];
  out.value(kBetaEff, index) = qubit_beta_eff(rho, p.omega_s);
  out.value(kCoherenceL1, index) = coherence_l1(rho);
  out.value(kErgotropy, index) = ergotropy(rho, m.h_s);
}

// Runs the n collisions of the point: final and decomposition groups, and the series.
void evolve(const core::PointParams& p, const RunRequest& request, ChunkResult& out,
            std::size_t index) {
  const std::int64_t n = p.collisions;
  const std::int64_t every = request.series_every;
  const std::int64_t samples = series_sample_count(n, every);
  if (samples > out.max_samples)
    throw std::logic_error("reference::compute_point: the chunk holds " +
                           std::to_string(out.max_samples) + " series samples, the point needs " +
                           std::to_string(samples));
  const Model m = make_qubit_model(p);
  Matrix rho = qubit_state(p.bloch0);

  double work = 0, heat = 0, delta_energy = 0, delta_entropy = 0, sigma = 0;
  double mutual_information = 0, relative_entropy = 0;
  CollisionThermo last;
  std::int64_t sample = 0;
  for (std::int64_t k = 1; k <= n; ++k) {
    last = collide(m, rho);
    rho = last.rho_next;
    work += last.work;
    heat += last.heat;
    delta_energy += last.delta_energy;
    delta_entropy += last.delta_entropy;
    sigma += last.entropy_production;
    mutual_information += last.mutual_information;
    relative_entropy += last.ancilla_relative_entropy;
    if (every > 0 && (k % every == 0 || k == n)) {
      const auto r = bloch_vector(rho);
      out.sample(sample, kSeriesK, index) = static_cast<double>(k);
      out.sample(sample, kSeriesT, index) = static_cast<double>(k) * p.dt;
      out.sample(sample, kSeriesBlochX, index) = r[0];
      out.sample(sample, kSeriesBlochY, index) = r[1];
      out.sample(sample, kSeriesBlochZ, index) = r[2];
      out.sample(sample, kSeriesWorkRate, index) = last.work / p.dt;
      out.sample(sample, kSeriesHeatRate, index) = last.heat / p.dt;
      out.sample(sample, kSeriesEntropyProductionRate, index) = last.entropy_production / p.dt;
      out.sample(sample, kSeriesWork, index) = work;
      out.sample(sample, kSeriesHeat, index) = heat;
      out.sample(sample, kSeriesEntropyProduction, index) = sigma;
      ++sample;
    }
  }
  out.sample_counts[index] = sample;

  write_state_columns(m, p, rho, out, index);
  out.value(kWork, index) = work;
  out.value(kHeat, index) = heat;
  out.value(kDeltaEnergy, index) = delta_energy;
  out.value(kDeltaEntropy, index) = delta_entropy;
  out.value(kEntropyProduction, index) = sigma;
  // Rates of the last collision; there is none when n = 0.
  out.value(kWorkRate, index) = n > 0 ? last.work / p.dt : kNaN;
  out.value(kHeatRate, index) = n > 0 ? last.heat / p.dt : kNaN;
  out.value(kEntropyProductionRate, index) = n > 0 ? last.entropy_production / p.dt : kNaN;
  out.value(kMutualInformation, index) = mutual_information;
  out.value(kAncillaRelativeEntropy, index) = relative_entropy;
}

}  // namespace

Model make_model(Matrix h_s, Matrix h_a, Matrix h_sa, double beta, double dt) {
  Model m;
  m.h_s = std::move(h_s);
  m.h_a = std::move(h_a);
  m.h_sa = std::move(h_sa);
  m.beta = beta;
  m.dt = dt;
  const Eigen::Index d_s = m.system_dim(), d_a = m.ancilla_dim();
  if (m.h_sa.rows() != d_s * d_a || m.h_sa.cols() != d_s * d_a)
    throw std::invalid_argument("reference::make_model: H_SA must be (d_S d_A) square");

  Gibbs gibbs = make_gibbs(m.h_a, beta);
  m.rho_a = std::move(gibbs.rho);
  m.log_rho_a = std::move(gibbs.log_rho);
  m.outside_support_a = std::move(gibbs.outside_support);
  m.one_h_a = kron(identity(d_s), m.h_a);

  const Matrix h = kron(m.h_s, identity(d_a)) + m.one_h_a + m.h_sa;
  const Solver solver(h);
  const Eigen::VectorXcd phases =
      (Complex(0, -dt) * solver.eigenvalues().cast<Complex>()).array().exp();
  m.u = solver.eigenvectors() * phases.asDiagonal() * solver.eigenvectors().adjoint();

  m.energy_scale = std::max({1.0, spectral_spread(m.h_s), spectral_spread(m.h_a)});
  return m;
}

Matrix pauli(int axis) {
  Matrix s = Matrix::Zero(2, 2);
  switch (axis) {
    case 0:
      s << 0, 1, 1, 0;
      break;
    case 1:
      s << 0, Complex(0, -1), Complex(0, 1), 0;
      break;
    case 2:
      s << 1, 0, 0, -1;
      break;
    default:
      throw std::invalid_argument("reference::pauli: axis must be 0, 1 or 2");
  }
  return s;
}

Model make_qubit_model(const core::PointParams& p) {
  Matrix v = Matrix::Zero(4, 4);
  for (int l = 0; l < 3; ++l)
    for (int a = 0; a < 3; ++a) v += p.coupling[l][a] * kron(pauli(l), pauli(a));
  const double g = p.scaling == core::Scaling::ultrastrong ? 1.0 / std::sqrt(p.dt) : 1.0;
  return make_model(0.5 * p.omega_s * pauli(2), 0.5 * p.omega_a * pauli(2), g * v, p.beta, p.dt);
}

Matrix qubit_state(const double bloch[3]) {
  Matrix rho = 0.5 * identity(2);
  for (int l = 0; l < 3; ++l) rho += 0.5 * bloch[l] * pauli(l);
  return rho;
}

std::array<double, 3> bloch_vector(const Matrix& rho) {
  return {trace_product(rho, pauli(0)), trace_product(rho, pauli(1)), trace_product(rho, pauli(2))};
}

Matrix gibbs_state(const Matrix& h, double beta) {
  return make_gibbs(h, beta).rho;
}

Matrix kron(const Matrix& a, const Matrix& b) {
  Matrix k(a.rows() * b.rows(), a.cols() * b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return k;
}

Matrix partial_trace_ancilla(const Matrix& m, Eigen::Index d_s, Eigen::Index d_a) {
  Matrix r = Matrix::Zero(d_s, d_s);
  for (Eigen::Index i = 0; i < d_s; ++i)
    for (Eigen::Index j = 0; j < d_s; ++j)
      for (Eigen::Index a = 0; a < d_a; ++a) r(i, j) += m(i * d_a + a, j * d_a + a);
  return r;
}

Matrix partial_trace_system(const Matrix& m, Eigen::Index d_s, Eigen::Index d_a) {
  Matrix r = Matrix::Zero(d_a, d_a);
  for (Eigen::Index a = 0; a < d_a; ++a)
    for (Eigen::Index b = 0; b < d_a; ++b)
      for (Eigen::Index i = 0; i < d_s; ++i) r(a, b) += m(i * d_a + a, i * d_a + b);
  return r;
}

double von_neumann_entropy(const Matrix& rho) {
  const Eigen::VectorXd lambda = Solver(rho, Eigen::EigenvaluesOnly).eigenvalues();
  double s = 0;
  for (const double l : lambda)
    if (l > 0) s -= l * std::log(l);  // 0 ln 0 = 0; rounding can leave tiny negative eigenvalues
  return s;
}

double coherence_l1(const Matrix& rho) {
  double c = 0;
  for (Eigen::Index i = 0; i < rho.rows(); ++i)
    for (Eigen::Index j = 0; j < rho.cols(); ++j)
      if (i != j) c += std::abs(rho(i, j));
  return c;
}

double ergotropy(const Matrix& rho, const Matrix& h) {
  const Eigen::VectorXd r = Solver(rho, Eigen::EigenvaluesOnly).eigenvalues();  // increasing
  const Eigen::VectorXd e = Solver(h, Eigen::EigenvaluesOnly).eigenvalues();    // increasing
  double passive = 0;
  for (Eigen::Index k = 0; k < r.size(); ++k) passive += r(r.size() - 1 - k) * e(k);
  return trace_product(h, rho) - passive;
}

double qubit_beta_eff(const Matrix& rho, double omega_s) {
  if (omega_s == 0) return kNaN;
  // Clamp rounding below zero: a pure population gives ln(p/0) = +-inf.
  const double p_e = std::max(rho(0, 0).real(), 0.0);
  const double p_g = std::max(rho(1, 1).real(), 0.0);
  return std::log(p_g / p_e) / omega_s;
}

CollisionThermo collide(const Model& m, const Matrix& rho) {
  const Eigen::Index d_s = m.system_dim(), d_a = m.ancilla_dim();
  const Matrix rho_tot = kron(rho, m.rho_a);
  const Matrix rho_tot_after = m.u * rho_tot * m.u.adjoint();

  CollisionThermo c;
  c.rho_next = partial_trace_ancilla(rho_tot_after, d_s, d_a);
  const Matrix rho_a_after = partial_trace_system(rho_tot_after, d_s, d_a);
  c.work = -(trace_product(m.h_sa, rho_tot_after) - trace_product(m.h_sa, rho_tot));
  c.heat = trace_product(m.one_h_a, rho_tot_after - rho_tot);
  c.delta_energy = trace_product(m.h_s, c.rho_next - rho);
  const double s_after = von_neumann_entropy(c.rho_next);
  c.delta_entropy = s_after - von_neumann_entropy(rho);
  c.entropy_production = entropy_production(m.beta, c.delta_entropy, c.heat, m.energy_scale);
  c.mutual_information =
      s_after + von_neumann_entropy(rho_a_after) - von_neumann_entropy(rho_tot_after);
  c.ancilla_relative_entropy = ancilla_relative_entropy(m, rho_a_after);
  return c;
}

void compute_point(const core::PointParams& p, const RunRequest& request, ChunkResult& out,
                   std::size_t index) {
  if (p.dynamics != core::Dynamics::collision)
    throw std::invalid_argument(
        "reference backend: only \"collision\" dynamics is implemented, not \"gksl\"");
  for (int c = 0; c < kColumnCount; ++c) out.value(c, index) = kNaN;
  out.sample_counts[index] = 0;
  out.flags[index] = p.omega_s == 0 ? core::kBetaEffZeroOmega : 0u;
  if (request.evolve) evolve(p, request, out, index);
}

}  // namespace qcm::reference
