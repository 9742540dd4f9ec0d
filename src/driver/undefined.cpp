// @file driver layer: the sentences behind null values (DESIGN.md: each null is explained).
#include "driver/undefined.hpp"

#include <string_view>

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

void append_range(std::vector<int>& columns, int first, int last) {
  for (int c = first; c < last; ++c) columns.push_back(c);
}

/// Columns a flag nulls (all groups).
std::vector<int> columns_of_flag(std::uint32_t flag) {
  std::vector<int> columns;
  switch (flag) {
    case core::kBetaEffZeroOmega:
      columns = {kBetaEff, kStatBetaEff, kGkslBetaEff};
      break;
    case core::kStationaryOscillates:
      append_range(columns, kStatBlochX, kStatDimension);
      columns.push_back(kStatRelaxationCollisions);
      break;
    case core::kGkslOddMoment:
    case core::kGkslFixedScaling:
      append_range(columns, kGkslBlochX, kMutualInformation);
      break;
    case core::kGkslOscillates:
      append_range(columns, kGkslBlochX, kGkslDimension);
      break;
    case core::kGkslDynamicsUndefined:
      append_range(columns, kBlochX, kStatBlochX);
      break;
    case core::kDecompositionNeedsCollisions:
      append_range(columns, kMutualInformation, kColumnCount);
      break;
    default:
      break;
  }
  return columns;
}

}  // namespace

std::vector<UndefinedReason> undefined_reasons(std::uint32_t flags, std::uint32_t groups) {
  std::vector<UndefinedReason> reasons;
  for (const FlagInfo& info : kFlagInfo) {
    if (!(flags & info.flag)) continue;
    UndefinedReason r;
    for (int c : columns_of_flag(info.flag))
      for (const GroupRange& g : kGroups)
        if ((groups & g.group) && c >= g.first && c < g.last) r.columns.push_back(c);
    if (r.columns.empty()) continue;
    r.reason = std::string(info.reason);
    reasons.push_back(std::move(r));
  }
  return reasons;
}

}  // namespace qcm
