// @file driver layer: reproducible random parameter points.
#include "driver/random_points.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <limits>
#include <sstream>

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

namespace {

using CMatrix = Eigen::MatrixXcd;

/// Uniform [0, 1) and standard normal numbers from the raw bits of mt19937_64.
struct RawRandom {
  std::mt19937_64 rng;
  double uniform() { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
  double between(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {  // Box-Muller
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

CMatrix random_hermitian(RawRandom& r, int d, double scale) {
  CMatrix m(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) m(i, j) = {r.normal(), r.normal()};
  return scale * 0.5 * (m + m.adjoint()) / std::sqrt(double(d));
}

CMatrix random_state(RawRandom& r, int d, int rank) {
  CMatrix g(d, rank);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < rank; ++j) g(i, j) = {r.normal(), r.normal()};
  const CMatrix rho = g * g.adjoint();
  return rho / rho.trace().real();
}

void write_matrix(const core::GeneralRecordWriter& w, std::size_t offset, const CMatrix& m) {
  for (int i = 0; i < m.rows(); ++i)
    for (int j = 0; j < m.cols(); ++j)
      w.set(offset, static_cast<int>(m.rows()), i, j, m(i, j).real(), m(i, j).imag());
}

}  // namespace

GeneralPoints random_general_points(std::size_t count, std::uint64_t seed,
                                    const GeneralPointOptions& o) {
  RawRandom r{std::mt19937_64(seed)};
  GeneralPoints g;
  const int da[1] = {o.d_a};
  g.shape = core::GeneralShape::make(o.d_s, 1, da);
  g.records.assign(count * g.shape.stride, 0.0);
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t p = 0; p < count; ++p) {
    const core::GeneralRecordWriter w{g.records.data() + p * g.shape.stride, &g.shape};
    const bool fixed = !o.gksl_limit && r.uniform() < o.fixed_fraction;
    const double dt = r.between(0.01, 0.3);
    const std::int64_t n =
        o.fixed_collisions > 0
            ? o.fixed_collisions
            : 1 + static_cast<std::int64_t>(r.uniform() * static_cast<double>(o.max_collisions));
    w.header(dt, n, fixed ? core::Scaling::fixed : core::Scaling::ultrastrong, o.dynamics);
    const CMatrix h_s = random_hermitian(r, o.d_s, r.between(0.3, 2.5));
    const CMatrix h_a = random_hermitian(r, o.d_a, r.between(0.3, 2.5));
    write_matrix(w, g.shape.h_s, h_s);
    const bool gibbs = o.gksl_limit || r.uniform() < o.gibbs_fraction;
    const double kind = r.uniform();
    const double beta = kind < 1.0 / 12   ? inf
                        : kind < 2.0 / 12 ? -inf
                        : kind < 3.0 / 12 ? 0.0
                                          : r.between(-3, 3);
    CMatrix rho_a = CMatrix::Zero(o.d_a, o.d_a);
    if (!gibbs) {
      const int rank = r.uniform() < 0.25 ? 1 + static_cast<int>(r.uniform() * (o.d_a - 1)) : o.d_a;
      rho_a = random_state(r, o.d_a, rank);
    }
    // V = sum_t S_t x A_t, Hermitian.
    const Eigen::SelfAdjointEigenSolver<CMatrix> levels(h_a);
    const int terms = 1 + static_cast<int>(r.uniform() * 3);
    const double strength = r.between(0.2, 1.5);
    const int joint = o.d_s * o.d_a;
    CMatrix v = CMatrix::Zero(joint, joint);
    for (int t = 0; t < terms; ++t) {
      const CMatrix s = random_hermitian(r, o.d_s, 1.0);
      CMatrix a = random_hermitian(r, o.d_a, 1.0);
      if (o.gksl_limit) {
        CMatrix in_levels = levels.eigenvectors().adjoint() * a * levels.eigenvectors();
        for (int k = 0; k < o.d_a; ++k) in_levels(k, k) = 0;
        a = levels.eigenvectors() * in_levels * levels.eigenvectors().adjoint();
      }
      for (int i = 0; i < o.d_s; ++i)
        for (int j = 0; j < o.d_s; ++j)
          v.block(i * o.d_a, j * o.d_a, o.d_a, o.d_a) += strength * s(i, j) * a;
    }
    v = 0.5 * (v + v.adjoint());
    w.data[g.shape.bath[0] + core::GeneralShape::kBathBeta] =
        gibbs ? beta : std::numeric_limits<double>::quiet_NaN();
    write_matrix(w, g.shape.bath[0] + core::GeneralShape::kBathHamiltonian, h_a);
    write_matrix(w, g.shape.bath_coupling(0), v);
    write_matrix(w, g.shape.bath_state(0), rho_a);
    write_matrix(w, g.shape.rho0,
                 r.uniform() < 0.3 ? random_state(r, o.d_s, 1) : random_state(r, o.d_s, o.d_s));
    std::ostringstream desc;
    desc << "point " << p << " (d_S " << o.d_s << ", d_A " << o.d_a << ", "
         << (gibbs ? "beta " + std::to_string(beta) : std::string("ancilla state")) << ", dt " << dt
         << ", n " << n << (fixed ? ", fixed scaling" : "") << ")";
    g.descriptions.push_back(desc.str());
  }
  return g;
}

}  // namespace qcm
