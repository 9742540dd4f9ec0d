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

}  // namespace

std::vector<UndefinedReason> undefined_reasons(std::uint32_t flags, std::uint32_t groups) {
  std::vector<UndefinedReason> reasons;
  for (const FlagInfo& info : kFlagInfo) {
    if (!(flags & info.flag)) continue;
    UndefinedReason r;
    for (const ColumnInfo& c : kColumnTable)
      if ((c.nulled_by & info.flag) && (groups & c.group)) r.columns.push_back(c.id);
    if (r.columns.empty()) continue;
    r.reason = std::string(info.reason);
    reasons.push_back(std::move(r));
  }
  return reasons;
}

}  // namespace qcm
