// @file reference layer: rounds of collisions with several baths, literally.
//
// Sequential: the single-bath collision of each bath in turn (each with its own Sigma_b, the
// Gibbs or the I + D form), so that the round's Sigma is Delta S + sum_b beta_b Q_b for Gibbs
// ancillas. Simultaneous: rho (x) rho_A,1 (x) ... (x) rho_A,K, the joint U, the partial trace
// over every ancilla; each bath's work and heat from its own operators in the joint space.
#include <cmath>
#include <limits>
#include <unsupported/Eigen/MatrixFunctions>

#include "qcm/core/tolerances.hpp"
#include "reference/reference_engine.hpp"

namespace qcm::reference {
namespace {

using Complex = std::complex<double>;

Matrix identity(Eigen::Index d) {
  return Matrix::Identity(d, d);
}

double trace_product(const Matrix& a, const Matrix& b) {
  return (a * b).trace().real();
}

/// An operator on A_b, as it acts in A_1 (x) ... (x) A_K.
Matrix embed_ancilla(const std::vector<Model>& baths, std::size_t b, const Matrix& op) {
  Matrix out = Matrix::Identity(1, 1);
  for (std::size_t c = 0; c < baths.size(); ++c)
    out = kron(out, c == b ? op : identity(baths[c].ancilla_dim()));
  return out;
}

/// An operator on S (x) A_b (system first), as it acts in S (x) A_1 (x) ... (x) A_K: the
/// ancillas before b and after it are identities.
Matrix embed_coupling(const std::vector<Model>& baths, std::size_t b, const Matrix& op) {
  const Eigen::Index d_s = baths[0].system_dim(), d_b = baths[b].ancilla_dim();
  Eigen::Index before = 1, after = 1;
  for (std::size_t c = 0; c < b; ++c) before *= baths[c].ancilla_dim();
  for (std::size_t c = b + 1; c < baths.size(); ++c) after *= baths[c].ancilla_dim();
  const Eigen::Index n = d_s * before * d_b * after;
  Matrix out = Matrix::Zero(n, n);
  // index (s, p, a, q) = ((s * before + p) * d_b + a) * after + q
  for (Eigen::Index s = 0; s < d_s; ++s)
    for (Eigen::Index a = 0; a < d_b; ++a)
      for (Eigen::Index t = 0; t < d_s; ++t)
        for (Eigen::Index c = 0; c < d_b; ++c) {
          const Complex e = op(s * d_b + a, t * d_b + c);
          if (e == Complex(0)) continue;
          for (Eigen::Index p = 0; p < before; ++p)
            for (Eigen::Index q = 0; q < after; ++q)
              out(((s * before + p) * d_b + a) * after + q,
                  ((t * before + p) * d_b + c) * after + q) = e;
        }
  return out;
}

}  // namespace

RoundModel make_round_model(std::vector<Model> baths, core::Rounds rounds) {
  RoundModel r;
  r.rounds = rounds;
  r.baths = std::move(baths);
  const double dt = r.baths[0].dt;
  r.duration = rounds == core::Rounds::sequential ? dt * static_cast<double>(r.baths.size()) : dt;
  if (rounds == core::Rounds::sequential) return r;
  Matrix h_a = Matrix::Zero(1, 1), v, rho_a = Matrix::Identity(1, 1);
  Eigen::Index d_a = 1;
  for (const Model& m : r.baths) d_a *= m.ancilla_dim();
  const Eigen::Index d_s = r.baths[0].system_dim();
  h_a = Matrix::Zero(d_a, d_a);
  v = Matrix::Zero(d_s * d_a, d_s * d_a);
  for (std::size_t b = 0; b < r.baths.size(); ++b) {
    const Model& m = r.baths[b];
    const Matrix h_b = embed_ancilla(r.baths, b, m.h_a);
    h_a += h_b;
    rho_a = kron(rho_a, m.rho_a);
    // V_b scaled as bath b scales it (every bath has the same dt and scaling).
    v += embed_coupling(r.baths, b, m.v);
    r.joint_one_h_a.push_back(kron(identity(d_s), h_b));
    r.joint_h_sa.push_back(embed_coupling(r.baths, b, m.h_sa));
  }
  r.joint = make_model_with_state(r.baths[0].h_s, h_a, v, rho_a, dt, r.baths[0].coupling_scale);
  return r;
}

RoundModel round_model_of(const core::GeneralRecord& r) {
  const core::GeneralShape& shape = *r.shape;
  const auto matrix_at = [&](std::size_t offset, int n) {
    Matrix m(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const core::Complex<double> e = r.entry(offset, n, i, j);
        m(i, j) = Complex(e.re, e.im);
      }
    return m;
  };
  const int d_s = shape.system_dim;
  const double dt = r.dt();
  const double scale = r.scaling() == core::Scaling::ultrastrong ? 1.0 / std::sqrt(dt) : 1.0;
  std::vector<Model> baths;
  for (int b = 0; b < shape.baths; ++b) {
    const int d_a = shape.ancilla_dim[b];
    Matrix h_s = matrix_at(shape.h_s, d_s);
    Matrix h_a = matrix_at(shape.bath[b] + core::GeneralShape::kBathHamiltonian, d_a);
    Matrix v = matrix_at(shape.bath_coupling(b), d_s * d_a);
    baths.push_back(
        r.gibbs(b) ? make_model(std::move(h_s), std::move(h_a), std::move(v), r.beta(b), dt, scale)
                   : make_model_with_state(std::move(h_s), std::move(h_a), std::move(v),
                                           matrix_at(shape.bath_state(b), d_a), dt, scale));
  }
  return make_round_model(std::move(baths), shape.rounds);
}

RoundThermo round_step(const RoundModel& model, const Matrix& rho) {
  RoundThermo t;
  const std::size_t k = model.baths.size();
  t.work.assign(k, 0.0);
  t.heat.assign(k, 0.0);
  if (model.rounds == core::Rounds::sequential) {
    Matrix state = rho;
    for (std::size_t b = 0; b < k; ++b) {
      const CollisionThermo c = collide(model.baths[b], state);
      t.work[b] = c.work;
      t.heat[b] = c.heat;
      t.entropy_production += c.entropy_production;
      state = c.rho_next;
    }
    t.rho_next = state;
  } else {
    const Model& j = model.joint;
    const Matrix total = j.u * kron(rho, j.rho_a) * j.u.adjoint();
    const Matrix before = kron(rho, j.rho_a);
    t.rho_next = partial_trace_ancilla(total, j.system_dim(), j.ancilla_dim());
    bool gibbs = true;
    for (const Model& m : model.baths) gibbs = gibbs && m.gibbs;
    double beta_heat = 0;
    bool infinite = false;
    for (std::size_t b = 0; b < k; ++b) {
      t.work[b] =
          -(trace_product(model.joint_h_sa[b], total) - trace_product(model.joint_h_sa[b], before));
      t.heat[b] = trace_product(model.joint_one_h_a[b], total - before);
      const Model& m = model.baths[b];
      if (!std::isinf(m.beta))
        beta_heat += m.beta * t.heat[b];
      else if (std::abs(t.heat[b]) > m.heat_zero_tolerance)
        infinite = true;
    }
    const double delta_entropy = von_neumann_entropy(t.rho_next) - von_neumann_entropy(rho);
    if (gibbs) {
      t.entropy_production =
          infinite ? std::numeric_limits<double>::infinity() : delta_entropy + beta_heat;
    } else {
      t.entropy_production = collide(j, rho).entropy_production;  // I + D over the joint ancilla
    }
  }
  for (std::size_t b = 0; b < k; ++b) {
    t.total_work += t.work[b];
    t.total_heat += t.heat[b];
  }
  const Matrix& h_s = model.baths[0].h_s;
  t.delta_energy = trace_product(h_s, t.rho_next) - trace_product(h_s, rho);
  t.delta_entropy = von_neumann_entropy(t.rho_next) - von_neumann_entropy(rho);
  return t;
}

Matrix round_superoperator(const RoundModel& model) {
  if (model.rounds == core::Rounds::simultaneous) return collision_superoperator(model.joint);
  Matrix phi = collision_superoperator(model.baths[0]);
  for (std::size_t b = 1; b < model.baths.size(); ++b)
    phi = collision_superoperator(model.baths[b]) * phi;
  return phi;
}

RoundGksl make_round_gksl(const RoundModel& model) {
  RoundGksl g;
  const std::size_t k = model.baths.size();
  g.weight = model.rounds == core::Rounds::sequential ? 1.0 / static_cast<double>(k) : 1.0;
  // The Hamiltonian part -i[H_S, .], common to every bath's generator.
  const Matrix& h_s = model.baths[0].h_s;
  const Eigen::Index d = h_s.rows();
  const Matrix unitary =
      Complex(0, -1) * (kron(identity(d), h_s) - kron(h_s.transpose(), identity(d)));
  g.total.liouvillian = unitary;
  g.total.odd_moment = false;
  g.total.odd_moment_norm = 0;
  g.total.heat_rate_tolerance = 0;
  for (const Model& m : model.baths) {
    g.baths.push_back(make_gksl_limit(m));
    const GkslLimit& l = g.baths.back();
    g.total.liouvillian += g.weight * (l.liouvillian - unitary);
    g.total.odd_moment = g.total.odd_moment || l.odd_moment;
    g.total.heat_rate_tolerance = std::max(g.total.heat_rate_tolerance, l.heat_rate_tolerance);
  }
  return g;
}

}  // namespace qcm::reference
