// @file io layer: the sentences behind null values (every null of a result is explained).
#include "io/undefined.hpp"

#include "qcm/columns.hpp"
#include "qcm/core/point.hpp"

namespace qcm {
namespace {

struct FlagInfo {
  std::uint32_t flag;
  std::string_view reason;
};

constexpr FlagInfo kFlagInfo[] = {
    {core::kBetaEffZeroOmega, "beta_eff = ln(p_g/p_e)/omega_S is undefined for system.omega = 0"},
    {core::kBetaEffEqualLevels,
     "beta_eff = ln(p_0/p_1)/(E_1 - E_0) is undefined: the system's two levels have the same "
     "energy"},
    {core::kStationaryOscillates,
     "the collision map has an eigenvalue of modulus 1 other than 1: the state oscillates and "
     "has no n -> infinity limit"},
    {core::kGkslOddMoment,
     "Tr_A[V (1 x rho_A)] != 0 (an ancilla sigma_z coupling at beta != 0): a term of order "
     "dt^(-1/2) survives and there is no continuous-time limit"},
    {core::kGkslFixedScaling,
     "scaling \"fixed\" has no continuous-time limit (only \"ultrastrong\", H_SA = V/sqrt(dt), "
     "converges to a GKSL equation)"},
    {core::kGkslOscillates,
     "the GKSL generator has purely imaginary eigenvalues: the state oscillates and has no "
     "t -> infinity limit"},
    {core::kGkslDynamicsUndefined,
     "\"dynamics\": \"gksl\" was asked but this point has no continuous-time limit (fixed "
     "scaling, or Tr_A[V (1 x rho_A)] != 0)"},
    {core::kDecompositionNeedsCollisions,
     "the decomposition of the entropy production is defined per collision; \"dynamics\": "
     "\"gksl\" has no collisions"},
    {core::kGkslCoherentAncilla,
     "the ancilla state does not commute with its Hamiltonian ([rho_A, H_A] != 0): the heat of "
     "one collision has a part of order dt^(1/2), and the GKSL limit has no work or heat current"},
    {core::kGkslNonGibbsAncilla,
     "the ancilla is not in a Gibbs state: the GKSL limit's entropy production rate (dS/dt + "
     "beta Qdot) needs an ancilla temperature"},
    {core::kGkslDynamicsNoCurrents,
     "\"dynamics\": \"gksl\" with an ancilla state that does not commute with its Hamiltonian: "
     "the GKSL limit has no work or heat current"},
    {core::kGkslDynamicsNoEntropyProduction,
     "\"dynamics\": \"gksl\" with an ancilla that is not in a Gibbs state: the entropy "
     "production of the GKSL limit needs an ancilla temperature"},
};

// Every flag that nulls a column has a sentence.
constexpr bool every_flag_explained() {
  for (const ColumnInfo& c : kColumnTable)
    for (std::uint32_t bit = 1; bit != 0; bit <<= 1) {
      if (!(c.nulled_by & bit)) continue;
      bool found = false;
      for (const FlagInfo& f : kFlagInfo) found = found || f.flag == bit;
      if (!found) return false;
    }
  return true;
}
static_assert(every_flag_explained(), "a flag in kColumnTable has no sentence in kFlagInfo");

// The general form's wording where the qubit form's names sigma_z.
constexpr FlagInfo kGeneralFlagInfo[] = {
    {core::kGkslOddMoment,
     "Tr_A[V (1 x rho_A)] != 0 (a coupling operator of the ancilla with a nonzero mean in the "
     "ancilla state): a term of order dt^(-1/2) survives and there is no continuous-time limit"},
};

std::string_view reason_of(const FlagInfo& info, bool general_form) {
  if (general_form)
    for (const FlagInfo& g : kGeneralFlagInfo)
      if (g.flag == info.flag) return g.reason;
  return info.reason;
}

}  // namespace

std::vector<UndefinedReason> undefined_reasons(std::uint32_t flags, std::uint32_t groups,
                                               bool general_form) {
  std::vector<UndefinedReason> reasons;
  for (const FlagInfo& info : kFlagInfo) {
    if (!(flags & info.flag)) continue;
    UndefinedReason r;
    for (const ColumnInfo& c : kColumnTable)
      if ((c.nulled_by & info.flag) && (groups & c.group)) r.columns.push_back(c.id);
    if (r.columns.empty()) continue;
    r.reason = std::string(reason_of(info, general_form));
    reasons.push_back(std::move(r));
  }
  return reasons;
}

}  // namespace qcm
