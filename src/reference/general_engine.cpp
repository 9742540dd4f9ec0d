// @file reference layer: general models (any system, any ancilla), literally.
//
// Each collision is rho (x) rho_A, U, partial trace, as for qubits (collide);
// the state measures are taken in the energy eigenbasis of H_S (populations,
// coherence) straight from their definitions (docs/physics.md §4).
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "qcm/core/tolerances.hpp"
#include "qcm/records.hpp"
#include "qcm/sampling.hpp"
#include "reference/reference_engine.hpp"

namespace qcm::reference {
namespace {

using Complex = std::complex<double>;
using Solver = Eigen::SelfAdjointEigenSolver<Matrix>;
using Tol = core::Tolerances<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double trace_product(const Matrix& a, const Matrix& b) {
  return (a * b).trace().real();
}

Matrix matrix_at(const core::GeneralRecord& r, std::size_t offset, int n) {
  Matrix m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const core::Complex<double> e = r.entry(offset, n, i, j);
      m(i, j) = Complex(e.re, e.im);
    }
  return m;
}

// Everything a general point shares between its collisions and its steady states.
struct GeneralModel {
  Model model;  ///< bath 0
  EnergyBasis basis;
  Matrix rho0;
  bool coherent_ancilla = false;  ///< [rho_A, H_A] != 0
};

GeneralModel make_general(const core::GeneralRecord& r) {
  const core::GeneralShape& shape = *r.shape;
  const int d_s = shape.system_dim, d_a = shape.ancilla_dim[0];
  Matrix h_s = matrix_at(r, shape.h_s, d_s);
  Matrix h_a = matrix_at(r, shape.bath[0] + core::GeneralShape::kBathHamiltonian, d_a);
  Matrix v = matrix_at(r, shape.bath_coupling(0), d_s * d_a);
  const double dt = r.dt();
  const double scale = r.scaling() == core::Scaling::ultrastrong ? 1.0 / std::sqrt(dt) : 1.0;
  GeneralModel g;
  g.basis = energy_basis(h_s);
  g.model = r.gibbs(0)
                ? make_model(std::move(h_s), std::move(h_a), std::move(v), r.beta(0), dt, scale)
                : make_model_with_state(std::move(h_s), std::move(h_a), std::move(v),
                                        matrix_at(r, shape.bath_state(0), d_a), dt, scale);
  g.rho0 = matrix_at(r, shape.rho0, d_s);
  const Matrix& m_h_a = g.model.h_a;
  const Matrix commutator = g.model.rho_a * m_h_a - m_h_a * g.model.rho_a;
  g.coherent_ancilla = !Tol::commute(commutator.norm(), std::max(1.0, m_h_a.cwiseAbs().maxCoeff()));
  return g;
}

// The state measures of rho (docs/physics.md §4), with the populations kept in `populations`.
GeneralStateMeasures<double> measures(const GeneralModel& g, const Matrix& rho,
                                      std::vector<double>& populations) {
  const Matrix in_basis = g.basis.vectors.adjoint() * rho * g.basis.vectors;
  const int d = static_cast<int>(rho.rows());
  populations.resize(d);
  for (int i = 0; i < d; ++i) populations[i] = in_basis(i, i).real();
  double beta_eff = kNaN;
  if (d == 2) {
    // ln(p_0/p_1)/(E_1 - E_0), p_0 the lower level; a pure population gives +-inf.
    const double gap = g.basis.energies(1) - g.basis.energies(0);
    const double p0 = std::max(populations[0], 0.0), p1 = std::max(populations[1], 0.0);
    beta_eff = gap > 0 ? std::log(p0 / p1) / gap : kNaN;
  }
  return {trace_product(g.model.h_s, rho),
          trace_product(rho, rho),
          von_neumann_entropy(rho),
          populations.data(),
          d,
          coherence_l1(in_basis),
          ergotropy(rho, g.model.h_s),
          beta_eff};
}

auto store(ChunkResult& out, std::size_t index) {
  return [&out, index](int column, int element, double value) {
    out.value(column, index, element) = value;
  };
}

struct Sums {
  double work = 0, heat = 0, delta_energy = 0, delta_entropy = 0, entropy_production = 0;
  Rates<double> rates{kNaN, kNaN, kNaN};
};

void write_sample(const GeneralModel& g, ChunkResult& out, std::int64_t sample, std::size_t index,
                  std::int64_t k, double dt, const Matrix& rho, const Sums& s) {
  std::vector<double> populations;
  const GeneralStateMeasures<double> m = measures(g, rho, populations);
  const GeneralSampleRecord<double> record{static_cast<double>(k),
                                           static_cast<double>(k) * dt,
                                           m.energy,
                                           m.purity,
                                           m.entropy,
                                           populations.data(),
                                           m.levels,
                                           s.rates,
                                           s.work,
                                           s.heat,
                                           s.entropy_production};
  write_sample(record, [&](int column, int element, double value) {
    out.sample(sample, column, index, element) = value;
  });
}

void write_final_group(const GeneralModel& g, const Matrix& rho, const Sums& s, ChunkResult& out,
                       std::size_t index, const RunRequest& request) {
  std::vector<double> populations;
  write_final(
      FinalRecord<double, GeneralStateMeasures<double>>{measures(g, rho, populations), s.work,
                                                        s.heat, s.delta_energy, s.delta_entropy,
                                                        s.entropy_production, s.rates},
      store(out, index));
  if (request.groups & kGroupState)
    write_rho(
        static_cast<int>(rho.rows()), [&](int i, int j) { return rho(i, j).real(); },
        [&](int i, int j) { return rho(i, j).imag(); }, store(out, index));
}

void evolve_collisions(const GeneralModel& g, const core::GeneralRecord& r,
                       const RunRequest& request, ChunkResult& out, std::size_t index) {
  const std::int64_t n = r.collisions();
  Matrix rho = g.rho0;
  Sums s;
  double mutual_information = 0, relative_entropy = 0;
  std::int64_t sample = 0;
  SampleClock clock(request.series_every, n);
  for (std::int64_t k = 1; k <= n; ++k) {
    const CollisionThermo c = collide(g.model, rho);
    rho = c.rho_next;
    s.work += c.work;
    s.heat += c.heat;
    s.delta_energy += c.delta_energy;
    s.delta_entropy += c.delta_entropy;
    s.entropy_production += c.entropy_production;
    mutual_information += c.mutual_information;
    relative_entropy += c.ancilla_relative_entropy;
    s.rates = {c.work / r.dt(), c.heat / r.dt(), c.entropy_production / r.dt()};
    if (clock.tick(k)) write_sample(g, out, sample++, index, k, r.dt(), rho, s);
  }
  out.sample_counts[index] = sample;
  write_final_group(g, rho, s, out, index, request);
  write_decomposition(mutual_information, relative_entropy, store(out, index));
}

// Why the GKSL limit does not exist (0 if it does).
std::uint32_t gksl_missing(const core::GeneralRecord& r, const GkslLimit& limit) {
  if (r.scaling() == core::Scaling::fixed) return core::kGkslFixedScaling;
  if (limit.odd_moment) return core::kGkslOddMoment;
  return 0u;
}

// The currents of the GKSL limit in state rho, and the flags of those that do not exist.
Rates<double> gksl_rates(const GeneralModel& g, const GkslLimit& limit, const Matrix& rho,
                         bool steady) {
  if (g.coherent_ancilla) return {kNaN, kNaN, kNaN};
  const double heat_rate = gksl_current(g.model, limit.heat_operator, rho);
  const double work_rate = gksl_current(g.model, limit.work_operator, rho);
  if (!g.model.gibbs) return {work_rate, heat_rate, kNaN};
  const double entropy_rate = steady ? 0.0 : gksl_entropy_rate(g.model, limit, rho);
  const double sigma =
      std::isinf(g.model.beta)
          ? (std::abs(heat_rate) > limit.heat_rate_tolerance ? INFINITY : entropy_rate)
          : entropy_rate + g.model.beta * heat_rate;
  return {work_rate, heat_rate, sigma};
}

std::uint32_t evolve_gksl(const GeneralModel& g, const core::GeneralRecord& r,
                          const RunRequest& request, ChunkResult& out, std::size_t index) {
  std::uint32_t flags =
      (request.groups & kGroupDecomposition) ? core::kDecompositionNeedsCollisions : 0u;
  const GkslLimit limit = make_gksl_limit(g.model);
  if (gksl_missing(r, limit)) return flags | core::kGkslDynamicsUndefined;
  if (g.coherent_ancilla) flags |= core::kGkslDynamicsNoCurrents;
  if (!g.model.gibbs) flags |= core::kGkslDynamicsNoEntropyProduction;
  const double s0 = von_neumann_entropy(g.rho0);
  const auto state_at = [&](std::int64_t k, Sums& s) {
    const double t = static_cast<double>(k) * r.dt();
    const GkslFlow flow = gksl_flow(limit, g.rho0, t);
    s.delta_energy = trace_product(g.model.h_s, flow.rho - g.rho0);
    s.delta_entropy = von_neumann_entropy(flow.rho) - s0;
    s.rates = gksl_rates(g, limit, flow.rho, false);
    s.work = g.coherent_ancilla ? kNaN : gksl_current(g.model, limit.work_operator, flow.integral);
    s.heat = g.coherent_ancilla ? kNaN : gksl_current(g.model, limit.heat_operator, flow.integral);
    // The cumulative heat's rounding grows with the time integrated over.
    s.entropy_production =
        !g.model.gibbs || g.coherent_ancilla ? kNaN
        : std::isinf(g.model.beta)
            ? (std::abs(s.heat) > limit.heat_rate_tolerance * t ? INFINITY : s.delta_entropy)
            : s.delta_entropy + g.model.beta * s.heat;
    return flow.rho;
  };
  const std::int64_t n = r.collisions();
  std::int64_t sample = 0;
  Sums s;
  SampleClock clock(request.series_every, n);
  for (std::int64_t k = 1; k <= n; ++k)
    if (clock.tick(k)) write_sample(g, out, sample++, index, k, r.dt(), state_at(k, s), s);
  out.sample_counts[index] = sample;
  write_final_group(g, state_at(n, s), s, out, index, request);
  return flags;
}

std::uint32_t stationary_group(const GeneralModel& g, const core::GeneralRecord& r,
                               ChunkResult& out, std::size_t index) {
  const SteadyState st = collision_steady_state(g.model, g.rho0);
  write_dimension<kGroupStationary>(double(st.dimension), store(out, index));
  if (st.oscillates) return core::kStationaryOscillates;
  const CollisionThermo c = collide(g.model, st.rho);
  std::vector<double> populations;
  write_steady_state<kGroupStationary>(
      measures(g, st.rho, populations),
      Rates<double>{c.work / r.dt(), c.heat / r.dt(), c.entropy_production / r.dt()},
      store(out, index));
  out.value(kStatRelaxationCollisions, index) =
      st.slowest_modulus > 0 ? -1.0 / std::log(st.slowest_modulus) : 0.0;
  return 0u;
}

std::uint32_t gksl_group(const GeneralModel& g, const core::GeneralRecord& r, ChunkResult& out,
                         std::size_t index) {
  const GkslLimit limit = make_gksl_limit(g.model);
  if (const std::uint32_t missing = gksl_missing(r, limit)) return missing;
  const SteadyState st = gksl_steady_state(limit, g.rho0);
  write_dimension<kGroupGksl>(double(st.dimension), store(out, index));
  if (st.oscillates) return core::kGkslOscillates;
  std::vector<double> populations;
  write_steady_state<kGroupGksl>(measures(g, st.rho, populations),
                                 gksl_rates(g, limit, st.rho, true), store(out, index));
  if (g.coherent_ancilla) return core::kGkslCoherentAncilla;
  return g.model.gibbs ? 0u : core::kGkslNonGibbsAncilla;
}

}  // namespace

EnergyBasis energy_basis(const Matrix& h) {
  const Solver solver(0.5 * (h + h.adjoint()));
  const Eigen::VectorXd& e = solver.eigenvalues();  // ascending
  const Matrix& v = solver.eigenvectors();
  const Eigen::Index d = h.rows();
  const double tolerance = Tol::degenerate_level * std::max(1.0, e.cwiseAbs().maxCoeff());
  EnergyBasis basis;
  basis.energies = e;
  basis.vectors = Matrix::Zero(d, d);
  Eigen::Index next = 0;
  for (Eigen::Index first = 0; first < d;) {
    Eigen::Index last = first + 1;  // the level is [first, last)
    while (last < d && e(last) - e(first) <= tolerance) ++last;
    // Within a level, pivoted Gram-Schmidt of the projections of the space's
    // own basis vectors: at each step the one with the largest remainder
    // (the lowest index on ties), so the basis does not depend on which
    // eigenvectors the solver returned.
    const Matrix level = v.middleCols(first, last - first);
    const Matrix projector = level * level.adjoint();
    std::vector<Eigen::VectorXcd> chosen;
    for (Eigen::Index k = first; k < last; ++k) {
      Eigen::VectorXcd best;
      double best_norm = -1;
      for (Eigen::Index j = 0; j < d; ++j) {
        Eigen::VectorXcd u = projector.col(j);
        for (const Eigen::VectorXcd& c : chosen) u -= c * c.dot(u);
        const double norm = u.norm();
        if (norm > best_norm * (1 + 1e-9)) best_norm = norm, best = u;
      }
      chosen.push_back(best / best_norm);
      basis.vectors.col(next) = chosen.back();
      basis.energies(next) = e(k);
      ++next;
    }
    first = last;
  }
  return basis;
}

void compute_general_point(const core::GeneralRecord& r, const RunRequest& request,
                           ChunkResult& out, std::size_t index) {
  out.sample_counts[index] = 0;
  const GeneralModel g = make_general(r);
  std::uint32_t flags = 0;
  if (g.basis.energies.size() == 2 &&
      !(g.basis.energies(1) - g.basis.energies(0) >
        Tol::degenerate_level * std::max(1.0, g.basis.energies.cwiseAbs().maxCoeff())))
    flags |= core::kBetaEffEqualLevels;
  if (request.evolve) {
    if (r.dynamics() == core::Dynamics::gksl)
      flags |= evolve_gksl(g, r, request, out, index);
    else
      evolve_collisions(g, r, request, out, index);
  }
  if (request.groups & kGroupStationary) flags |= stationary_group(g, r, out, index);
  if (request.groups & kGroupGksl) flags |= gksl_group(g, r, out, index);
  write_nulls(flags,
              request.evolve ? 0u : std::uint32_t{kGroupFinal | kGroupDecomposition | kGroupState},
              out.columns(), store(out, index));
  out.flags[index] = flags;
}

}  // namespace qcm::reference
