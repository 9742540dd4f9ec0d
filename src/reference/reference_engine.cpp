// @file reference layer: the literal, general-dimension engine (Eigen, double).
#include "reference/reference_engine.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/MatrixFunctions>
#include <utility>

#include "qcm/columns.hpp"
#include "qcm/core/tolerances.hpp"
#include "qcm/records.hpp"
#include "qcm/sampling.hpp"

namespace qcm::reference {
namespace {

using Complex = std::complex<double>;
using Solver = Eigen::SelfAdjointEigenSolver<Matrix>;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Tol = core::Tolerances<double>;

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
    const double tolerance = Tol::degenerate_level * e.cwiseAbs().maxCoeff();
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

// Sigma = Delta S + beta Q (docs/physics.md §3), with beta = +-inf handled: +inf
// when |Q| exceeds `heat_tolerance` (Tolerances::heat_zero and kin), else Delta S.
double entropy_production(double beta, double delta_entropy, double heat, double heat_tolerance) {
  if (std::isinf(beta)) return std::abs(heat) > heat_tolerance ? kInf : delta_entropy;
  return delta_entropy + beta * heat;
}

// D(rho'_A || rho_A) = Tr rho'_A (ln rho'_A - ln rho_A).
double ancilla_relative_entropy(const Model& m, const Matrix& rho_a_after) {
  if (trace_product(m.outside_support_a, rho_a_after) > m.support_weight_tolerance) return kInf;
  return -von_neumann_entropy(rho_a_after) - trace_product(rho_a_after, m.log_rho_a);
}

Eigen::VectorXcd vec(const Matrix& x) {
  return Eigen::Map<const Eigen::VectorXcd>(x.data(), x.size());
}

Matrix unvec(const Eigen::VectorXcd& v, Eigen::Index d) {
  return Eigen::Map<const Matrix>(v.data(), d, d);
}

Matrix hermitian_part(const Matrix& x) {
  return 0.5 * (x + x.adjoint());
}

// The d^2 x d^2 matrix of a linear map on d x d matrices, column by column:
// column i + d j is vec(map(|i><j|)).
template <typename Map>
Matrix superoperator(Eigen::Index d, const Map& map) {
  Matrix s(d * d, d * d);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) {
      Matrix unit = Matrix::Zero(d, d);
      unit(i, j) = 1.0;
      s.col(i + d * j) = vec(map(unit));
    }
  return s;
}

// P x for the spectral projector P of `s` onto its eigenvalue `target`, of
// algebraic multiplicity `multiplicity` and semisimple (always so for the
// eigenvalue 1 of a CPTP map and 0 of a GKSL generator), so that
// range P = ker(s - target) and ker P = range(s - target). Both subspaces come
// from the SVD of s - target as orthonormal bases (the right and left singular
// vectors of its `multiplicity` smallest singular values): no eigenvector
// matrix is inverted, so degenerate or defective other eigenvalues cost no
// accuracy. This is not how the core does it (a product of (s - lambda) factors).
Matrix apply_spectral_projector(const Matrix& s, Complex target, int multiplicity,
                                const Matrix& x) {
  const Eigen::Index d = x.rows();
  if (multiplicity <= 0) return Matrix::Constant(d, d, Complex(kNaN, kNaN));
  const Matrix shifted = s - target * identity(s.rows());
  const Eigen::JacobiSVD<Matrix> svd(shifted, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Matrix right = svd.matrixV().rightCols(multiplicity);
  const Matrix left = svd.matrixU().rightCols(multiplicity);
  const Eigen::VectorXcd coefficients =
      (left.adjoint() * right).fullPivLu().solve(left.adjoint() * vec(x));
  return hermitian_part(unvec(right * coefficients, d));
}

// The state columns of a group (docs/physics.md §4).
StateMeasures<double> state_measures(const Model& m, const core::PointParams& p,
                                     const Matrix& rho) {
  const auto r = bloch_vector(rho);
  return {
      {r[0], r[1], r[2]}, qubit_beta_eff(rho, p.omega_s), coherence_l1(rho), ergotropy(rho, m.h_s)};
}

// The store of point `index`, as the record writers (qcm/records.hpp) take it.
auto store(ChunkResult& out, std::size_t index) {
  return [&out, index](int column, int element, double value) {
    out.value(column, index, element) = value;
  };
}

// What a series sample or the final group holds besides the state.
struct Thermodynamics {
  double work = 0, heat = 0, delta_energy = 0, delta_entropy = 0, entropy_production = 0;
  Rates<double> rates{kNaN, kNaN, kNaN};
};

void write_sample(ChunkResult& out, std::int64_t sample, std::size_t index, std::int64_t k,
                  double dt, const Matrix& rho, const Thermodynamics& th) {
  const auto r = bloch_vector(rho);
  const SampleRecord<double> record{static_cast<double>(k),
                                    static_cast<double>(k) * dt,
                                    {r[0], r[1], r[2]},
                                    th.rates,
                                    th.work,
                                    th.heat,
                                    th.entropy_production};
  double columns[kQubitSeriesColumnCount];
  sample_columns(record, columns);
  for (int c = 0; c < kQubitSeriesColumnCount; ++c) out.sample(sample, c, index) = columns[c];
}

void write_final_group(const Model& m, const core::PointParams& p, const Matrix& rho,
                       const Thermodynamics& th, ChunkResult& out, std::size_t index) {
  write_final(FinalRecord<double>{state_measures(m, p, rho), th.work, th.heat, th.delta_energy,
                                  th.delta_entropy, th.entropy_production, th.rates},
              store(out, index));
}

void check_series_room(const core::PointParams& p, const RunRequest& request,
                       const ChunkResult& out) {
  const std::int64_t samples = series_sample_count(p.collisions, request.series_every);
  if (samples > out.max_samples())
    throw std::logic_error("reference::compute_point: the chunk holds " +
                           std::to_string(out.max_samples()) + " series samples, the point needs " +
                           std::to_string(samples));
}

// Runs the n collisions of the point: final and decomposition groups, and the series.
void evolve_collisions(const core::PointParams& p, const Model& m, const RunRequest& request,
                       ChunkResult& out, std::size_t index) {
  check_series_room(p, request, out);
  const std::int64_t n = p.collisions;
  Matrix rho = qubit_state(p.bloch0);
  Thermodynamics th;
  double mutual_information = 0, relative_entropy = 0;
  std::int64_t sample = 0;
  SampleClock clock(request.series_every, n);
  for (std::int64_t k = 1; k <= n; ++k) {
    const CollisionThermo c = collide(m, rho);
    rho = c.rho_next;
    th.work += c.work;
    th.heat += c.heat;
    th.delta_energy += c.delta_energy;
    th.delta_entropy += c.delta_entropy;
    th.entropy_production += c.entropy_production;
    mutual_information += c.mutual_information;
    relative_entropy += c.ancilla_relative_entropy;
    // Rates of the last collision.
    th.rates = {c.work / p.dt, c.heat / p.dt, c.entropy_production / p.dt};
    if (clock.tick(k)) write_sample(out, sample++, index, k, p.dt, rho, th);
  }
  out.sample_counts[index] = sample;
  write_final_group(m, p, rho, th, out, index);
  write_decomposition(mutual_information, relative_entropy, store(out, index));
}

// Why the GKSL limit does not exist for this point (0 if it does).
std::uint32_t gksl_missing(const core::PointParams& p, const GkslLimit& limit) {
  if (p.scaling == core::Scaling::fixed) return core::kGkslFixedScaling;
  if (limit.odd_moment) return core::kGkslOddMoment;
  return 0u;
}

// The currents of the GKSL limit in state rho (dS/dt = 0 in a steady state).
Rates<double> gksl_rates(const Model& m, const GkslLimit& limit, const Matrix& rho, bool steady) {
  const double heat_rate = gksl_current(m, limit.heat_operator, rho);
  const double entropy_rate = steady ? 0.0 : gksl_entropy_rate(m, limit, rho);
  return {gksl_current(m, limit.work_operator, rho), heat_rate,
          entropy_production(m.beta, entropy_rate, heat_rate, limit.heat_rate_tolerance)};
}

// "dynamics": "gksl": the GKSL equation integrated exactly, every sample taken
// afresh from rho_0 (rho(t_k) = e^{L t_k} rho_0, the cumulative currents from
// int_0^{t_k} rho(s) ds), so nothing accumulates from step to step.
std::uint32_t evolve_gksl(const core::PointParams& p, const Model& m, const RunRequest& request,
                          ChunkResult& out, std::size_t index) {
  const std::uint32_t decomposition =
      (request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u;
  const GkslLimit limit = make_gksl_limit(m);
  if (gksl_missing(p, limit)) return core::kGkslDynamicsUndefined | decomposition;
  check_series_room(p, request, out);
  const Matrix rho0 = qubit_state(p.bloch0);
  const double s0 = von_neumann_entropy(rho0);
  const auto state_at = [&](std::int64_t k, Thermodynamics& th) {
    const double t = static_cast<double>(k) * p.dt;
    const GkslFlow flow = gksl_flow(limit, rho0, t);
    th.work = gksl_current(m, limit.work_operator, flow.integral);
    th.heat = gksl_current(m, limit.heat_operator, flow.integral);
    th.delta_energy = trace_product(m.h_s, flow.rho - rho0);
    th.delta_entropy = von_neumann_entropy(flow.rho) - s0;
    // The cumulative heat's rounding grows with the time integrated over.
    th.entropy_production =
        entropy_production(m.beta, th.delta_entropy, th.heat, limit.heat_rate_tolerance * t);
    th.rates = gksl_rates(m, limit, flow.rho, false);
    return flow.rho;
  };
  const std::int64_t n = p.collisions;
  std::int64_t sample = 0;
  Thermodynamics th;
  SampleClock clock(request.series_every, n);
  for (std::int64_t k = 1; k <= n; ++k)
    if (clock.tick(k)) {
      const Matrix rho = state_at(k, th);
      write_sample(out, sample++, index, k, p.dt, rho, th);
    }
  out.sample_counts[index] = sample;
  const Matrix rho = state_at(n, th);
  write_final_group(m, p, rho, th, out, index);
  return decomposition;
}

// The stationary group: fixed point of the collision map (docs/physics.md §4).
std::uint32_t stationary_group(const core::PointParams& p, const Model& m, ChunkResult& out,
                               std::size_t index) {
  const SteadyState st = collision_steady_state(m, qubit_state(p.bloch0));
  write_dimension<kGroupStationary>(double(st.dimension), store(out, index));
  if (st.oscillates) return core::kStationaryOscillates;
  const CollisionThermo c = collide(m, st.rho);
  write_steady_state<kGroupStationary>(
      state_measures(m, p, st.rho),
      Rates<double>{c.work / p.dt, c.heat / p.dt, c.entropy_production / p.dt}, store(out, index));
  out.value(kStatRelaxationCollisions, index) =
      st.slowest_modulus > 0 ? -1.0 / std::log(st.slowest_modulus) : 0.0;
  return 0u;
}

// The gksl group: kernel of the continuous-time generator (docs/physics.md §5).
std::uint32_t gksl_group(const core::PointParams& p, const Model& m, ChunkResult& out,
                         std::size_t index) {
  const GkslLimit limit = make_gksl_limit(m);
  if (const std::uint32_t missing = gksl_missing(p, limit)) return missing;
  const SteadyState st = gksl_steady_state(limit, qubit_state(p.bloch0));
  write_dimension<kGroupGksl>(double(st.dimension), store(out, index));
  if (st.oscillates) return core::kGkslOscillates;
  write_steady_state<kGroupGksl>(state_measures(m, p, st.rho), gksl_rates(m, limit, st.rho, true),
                                 store(out, index));
  return 0u;
}

}  // namespace

namespace {

// The part of make_model shared by a Gibbs ancilla and one given by its state.
Model finish_model(Model m, Gibbs ancilla) {
  const Eigen::Index d_s = m.system_dim(), d_a = m.ancilla_dim();
  if (m.v.rows() != d_s * d_a || m.v.cols() != d_s * d_a)
    throw std::invalid_argument("reference::make_model: V must be (d_S d_A) square");
  m.h_sa = m.coupling_scale * m.v;
  m.rho_a = std::move(ancilla.rho);
  m.log_rho_a = std::move(ancilla.log_rho);
  m.outside_support_a = std::move(ancilla.outside_support);
  m.one_h_a = kron(identity(d_s), m.h_a);

  const Matrix h = kron(m.h_s, identity(d_a)) + m.one_h_a + m.h_sa;
  const Solver solver(h);
  const Eigen::VectorXcd phases =
      (Complex(0, -m.dt) * solver.eigenvalues().cast<Complex>()).array().exp();
  m.u = solver.eigenvectors() * phases.asDiagonal() * solver.eigenvectors().adjoint();

  const double ancilla_spread = spectral_spread(m.h_a);
  m.heat_zero_tolerance = Tol::heat_zero(ancilla_spread);
  m.support_weight_tolerance = Tol::support_weight(ancilla_spread);
  return m;
}

Model bare_model(Matrix h_s, Matrix h_a, Matrix v, double dt, double coupling_scale) {
  Model m;
  m.h_s = std::move(h_s);
  m.h_a = std::move(h_a);
  m.v = std::move(v);
  m.coupling_scale = coupling_scale;
  m.dt = dt;
  return m;
}

}  // namespace

Model make_model(Matrix h_s, Matrix h_a, Matrix v, double beta, double dt, double coupling_scale) {
  Model m = bare_model(std::move(h_s), std::move(h_a), std::move(v), dt, coupling_scale);
  m.beta = beta;
  m.gibbs = true;
  Gibbs gibbs = make_gibbs(m.h_a, beta);
  return finish_model(std::move(m), std::move(gibbs));
}

Model make_model_with_state(Matrix h_s, Matrix h_a, Matrix v, const Matrix& rho_a, double dt,
                            double coupling_scale) {
  Model m = bare_model(std::move(h_s), std::move(h_a), std::move(v), dt, coupling_scale);
  m.beta = std::numeric_limits<double>::quiet_NaN();
  m.gibbs = false;
  // ln rho_A on its support and the projector onto its kernel, from its eigenvalues.
  const Solver solver(hermitian_part(rho_a));
  const Eigen::Index d = rho_a.rows();
  Eigen::VectorXd log_p = Eigen::VectorXd::Zero(d), outside = Eigen::VectorXd::Zero(d);
  for (Eigen::Index i = 0; i < d; ++i) {
    const double p = solver.eigenvalues()(i);
    if (p > Tol::support_weight(1.0))
      log_p(i) = std::log(p);
    else
      outside(i) = 1.0;
  }
  const Matrix& v_e = solver.eigenvectors();
  Gibbs state{hermitian_part(rho_a), v_e * log_p.cast<Complex>().asDiagonal() * v_e.adjoint(),
              v_e * outside.cast<Complex>().asDiagonal() * v_e.adjoint()};
  return finish_model(std::move(m), std::move(state));
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
  return make_model(0.5 * p.omega_s * pauli(2), 0.5 * p.omega_a * pauli(2), std::move(v), p.beta,
                    p.dt, g);
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
  c.mutual_information =
      s_after + von_neumann_entropy(rho_a_after) - von_neumann_entropy(rho_tot_after);
  c.ancilla_relative_entropy = ancilla_relative_entropy(m, rho_a_after);
  // A Gibbs ancilla: Delta S + beta Q (docs/physics.md §3); any other state:
  // the mutual information built up plus the ancilla's relative entropy.
  c.entropy_production =
      m.gibbs ? entropy_production(m.beta, c.delta_entropy, c.heat, m.heat_zero_tolerance)
              : c.mutual_information + c.ancilla_relative_entropy;
  return c;
}

Matrix collision_map(const Model& m, const Matrix& x) {
  return partial_trace_ancilla(m.u * kron(x, m.rho_a) * m.u.adjoint(), m.system_dim(),
                               m.ancilla_dim());
}

Matrix collision_superoperator(const Model& m) {
  return superoperator(m.system_dim(), [&m](const Matrix& x) { return collision_map(m, x); });
}

GkslLimit make_gksl_limit(const Model& m) {
  const Eigen::Index d_s = m.system_dim(), d_a = m.ancilla_dim();
  GkslLimit limit;
  const Matrix one_rho_a = kron(identity(d_s), m.rho_a);
  const Matrix v2 = m.v * m.v;
  limit.k = partial_trace_ancilla(v2 * one_rho_a, d_s, d_a);
  // Same test as the core (qcm/core/tolerances.hpp).
  limit.odd_moment_norm = partial_trace_ancilla(m.v * one_rho_a, d_s, d_a).norm();
  limit.odd_moment =
      Tol::odd_moment_nonzero(limit.odd_moment_norm * limit.odd_moment_norm, m.v.squaredNorm());
  limit.heat_rate_tolerance = Tol::heat_rate_zero(spectral_spread(m.h_a), m.v.squaredNorm());
  const Matrix h0 = kron(m.h_s, identity(d_a)) + m.one_h_a;
  const auto current_operator = [&](const Matrix& h) -> Matrix {
    return m.v * h * m.v - 0.5 * (v2 * h + h * v2);
  };
  limit.work_operator = current_operator(h0);
  limit.heat_operator = current_operator(m.one_h_a);
  limit.liouvillian =
      superoperator(d_s, [&](const Matrix& x) { return gksl_generator(m, limit, x); });
  return limit;
}

Matrix gksl_generator(const Model& m, const GkslLimit& limit, const Matrix& x) {
  const Complex i(0, 1);
  return -i * (m.h_s * x - x * m.h_s) +
         partial_trace_ancilla(m.v * kron(x, m.rho_a) * m.v, m.system_dim(), m.ancilla_dim()) -
         0.5 * (limit.k * x + x * limit.k);
}

double gksl_current(const Model& m, const Matrix& op, const Matrix& x) {
  return trace_product(op, kron(x, m.rho_a));
}

double gksl_entropy_rate(const Model& m, const GkslLimit& limit, const Matrix& rho) {
  // dS/dt = -sum_k (dp_k/dt) ln p_k over the eigenbasis of rho (the "+1" of
  // d(p ln p) sums to d Tr rho = 0), with dp_k/dt = <k|L(rho)|k>.
  const Matrix rate = gksl_generator(m, limit, rho);
  const Solver solver(hermitian_part(rho));
  const double feed_tolerance = Tol::rate_zero(limit.liouvillian.cwiseAbs().maxCoeff());
  double s_rate = 0;
  for (Eigen::Index k = 0; k < rho.rows(); ++k) {
    const auto v = solver.eigenvectors().col(k);
    const double p = solver.eigenvalues()(k);
    const double dp = (v.adjoint() * rate * v)(0, 0).real();
    if (p > 0)
      s_rate -= dp * std::log(p);
    else if (dp > feed_tolerance)
      return kInf;  // an empty level being filled: -dp ln p -> +inf
  }
  return s_rate;
}

SteadyState collision_steady_state(const Model& m, const Matrix& rho0) {
  return map_steady_state(collision_superoperator(m), rho0);
}

SteadyState map_steady_state(const Matrix& phi, const Matrix& rho0) {
  const Eigen::VectorXcd lambda = Eigen::ComplexEigenSolver<Matrix>(phi, false).eigenvalues();
  SteadyState st;
  for (const Complex l : lambda) {
    if (std::abs(l - 1.0) <= Tol::unit_eigenvalue) {
      ++st.dimension;
      continue;
    }
    st.slowest_modulus = std::max(st.slowest_modulus, std::abs(l));
    if (std::abs(l) >= 1 - Tol::unit_eigenvalue) st.oscillates = true;
  }
  st.rho = st.oscillates ? Matrix::Constant(rho0.rows(), rho0.cols(), Complex(kNaN, kNaN))
                         : apply_spectral_projector(phi, 1.0, st.dimension, rho0);
  return st;
}

SteadyState gksl_steady_state(const GkslLimit& limit, const Matrix& rho0) {
  const Matrix& l = limit.liouvillian;
  const Eigen::VectorXcd lambda = Eigen::ComplexEigenSolver<Matrix>(l, false).eigenvalues();
  const double scale = l.cwiseAbs().maxCoeff();
  const double tolerance = Tol::unit_eigenvalue * (scale > 0 ? scale : 1.0);
  SteadyState st;
  for (const Complex x : lambda) {
    if (std::abs(x) <= tolerance)
      ++st.dimension;
    else if (std::abs(x.real()) <= tolerance)
      st.oscillates = true;
  }
  st.rho = st.oscillates ? Matrix::Constant(rho0.rows(), rho0.cols(), Complex(kNaN, kNaN))
                         : apply_spectral_projector(l, 0.0, st.dimension, rho0);
  return st;
}

GkslFlow gksl_flow(const GkslLimit& limit, const Matrix& rho0, double t) {
  // exp([[L, 1], [0, 0]] t) = [[e^{Lt}, int_0^t e^{Ls} ds], [0, 1]] (Van Loan 1978).
  const Eigen::Index n = limit.liouvillian.rows();
  Matrix block = Matrix::Zero(2 * n, 2 * n);
  block.topLeftCorner(n, n) = t * limit.liouvillian;
  block.topRightCorner(n, n) = t * identity(n);
  const Matrix e = block.exp();
  const Eigen::VectorXcd x0 = vec(rho0);
  const Eigen::Index d = rho0.rows();
  return {hermitian_part(unvec(e.topLeftCorner(n, n) * x0, d)),
          hermitian_part(unvec(e.topRightCorner(n, n) * x0, d))};
}

void compute_point(const core::PointParams& p, const RunRequest& request, ChunkResult& out,
                   std::size_t index) {
  out.sample_counts[index] = 0;
  std::uint32_t flags = p.omega_s == 0 ? core::kBetaEffZeroOmega : 0u;
  const Model m = make_qubit_model(p);
  if (request.evolve) {
    if (p.dynamics == core::Dynamics::gksl)
      flags |= evolve_gksl(p, m, request, out, index);
    else
      evolve_collisions(p, m, request, out, index);
  }
  if (request.groups & kGroupStationary) flags |= stationary_group(p, m, out, index);
  if (request.groups & kGroupGksl) flags |= gksl_group(p, m, out, index);
  write_nulls(flags, request.evolve ? 0u : std::uint32_t{kGroupFinal | kGroupDecomposition},
              out.columns(), store(out, index));
  out.flags[index] = flags;
}

}  // namespace qcm::reference
