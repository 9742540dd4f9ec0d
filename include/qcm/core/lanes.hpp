// @file core layer: values of several points processed together ("lanes").
//
// The cpu backend steps kCpuLanes points per thread at once
// (kernels/point_kernel.hpp, evolve_stepping): every quantity is then a GCC
// vector of L values, so that each arithmetic statement is one SIMD
// instruction (or two on SSE2) by construction rather than by the grace of the
// auto-vectoriser. With L = 1, and always on the GPU, a "lane vector" is the
// scalar itself, and the same functions are ordinary scalar code.
//
// The core functions used inside the stepping loop (qubit_entropy,
// branchless_log, entropy_production_rule, entropy_production_terms,
// clamp_to_bloch_ball) are written against the helpers below, so that they
// accept a scalar or a lane vector alike.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "qcm/core/config.hpp"

namespace qcm::core {

/// A scalar: one lane; comparisons give bool.
template <typename V>
struct LaneTraits {
  using Scalar = V;
  using Bits = std::conditional_t<sizeof(V) == 8, std::uint64_t, std::uint32_t>;
  static constexpr int kLanes = 1;
};

/// The type holding L values of T: T itself for L = 1.
template <typename T, int L>
struct LaneVectorOf {
  static_assert(L == 1, "lane vectors need GCC vector extensions (host code only)");
  using type = T;
};

#if !defined(__CUDACC__) && defined(__GNUC__)
template <typename T, int L>
requires(L > 1) struct LaneVectorOf<T, L> {
  typedef T type __attribute__((vector_size(sizeof(T) * L)));
};

/// A GCC vector: comparisons give a vector of 0 / -1 of the same width, which
/// lane_select takes as a per-lane condition.
template <typename V>
requires requires(V v) {
  v[0];
}
struct LaneTraits<V> {
  using Scalar = std::remove_cvref_t<decltype(std::declval<V>()[0])>;
  using BitsElement = std::conditional_t<sizeof(Scalar) == 8, std::uint64_t, std::uint32_t>;
  typedef BitsElement Bits __attribute__((vector_size(sizeof(V))));
  static constexpr int kLanes = sizeof(V) / sizeof(Scalar);
};
#endif

template <typename T, int L>
using LaneVector = typename LaneVectorOf<T, L>::type;

template <typename V>
using LaneScalar = typename LaneTraits<V>::Scalar;

/// Every lane set to s.
template <typename V>
QCM_HD_INLINE V splat(LaneScalar<V> s) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return s;
  } else {
    return V{} + s;
  }
}

template <typename V>
QCM_HD_INLINE LaneScalar<V> lane_get(const V& v, int lane) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    (void)lane;
    return v;
  } else {
    return v[lane];
  }
}

/// The lane vector whose lane l is value_of_lane(l).
template <typename V, typename F>
QCM_HD_INLINE V lanes_from(const F& value_of_lane) {
  LaneScalar<V> values[LaneTraits<V>::kLanes];
  for (int l = 0; l < LaneTraits<V>::kLanes; ++l) values[l] = value_of_lane(l);
  V v;
  static_assert(sizeof v == sizeof values);
  std::memcpy(&v, values, sizeof v);
  return v;
}

/// The bit pattern of each lane, and back.
template <typename V>
QCM_HD_INLINE typename LaneTraits<V>::Bits lane_bits(V v) {
  typename LaneTraits<V>::Bits b;
  static_assert(sizeof b == sizeof v);
  std::memcpy(&b, &v, sizeof b);
  return b;
}

template <typename V>
QCM_HD_INLINE V lane_from_bits(typename LaneTraits<V>::Bits b) {
  V v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

/// Per lane: condition ? a : b, where `condition` is a comparison of lane
/// vectors (or a bool for scalars). With bit operations, which every SIMD
/// instruction set has: GCC lowers ?: on vectors without SSE4.1's blend to
/// one lane at a time.
template <typename V, typename Mask>
QCM_HD_INLINE V lane_select(Mask condition, V a, V b) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return condition ? a : b;
  } else {
    using Bits = typename LaneTraits<V>::Bits;
    static_assert(sizeof(Mask) == sizeof(Bits));
    Bits mask;
    std::memcpy(&mask, &condition, sizeof mask);
    return lane_from_bits<V>((lane_bits(a) & mask) | (lane_bits(b) & ~mask));
  }
}

/// True if the condition holds in some lane.
QCM_HD_INLINE bool any_lane(bool condition) {
  return condition;
}

template <typename M>
QCM_HD_INLINE bool any_lane(M condition) {
  // One OR over the lanes, without a branch per lane (the QL iterations ask
  // this several times per rotation).
  auto bits = condition[0];
  for (int l = 1; l < static_cast<int>(sizeof(M) / sizeof(condition[0])); ++l) bits |= condition[l];
  return bits != 0;
}

/// The type of a comparison of two V: bool for a scalar, a vector of 0 / -1
/// for lane vectors. The mask_* helpers combine either kind (~ on a bool would
/// give -2, which is true).
template <typename V>
using LaneMask = decltype(std::declval<V>() < std::declval<V>());

template <typename M>
QCM_HD_INLINE M mask_and(M a, M b) {
  if constexpr (std::is_same_v<M, bool>) {
    return a && b;
  } else {
    return a & b;
  }
}
template <typename M>
QCM_HD_INLINE M mask_or(M a, M b) {
  if constexpr (std::is_same_v<M, bool>) {
    return a || b;
  } else {
    return a | b;
  }
}
template <typename M>
QCM_HD_INLINE M mask_not(M a) {
  if constexpr (std::is_same_v<M, bool>) {
    return !a;
  } else {
    return ~a;
  }
}
/// Whether the condition holds in lane `lane`.
template <typename M>
QCM_HD_INLINE bool mask_at(M m, int lane) {
  if constexpr (std::is_same_v<M, bool>) {
    (void)lane;
    return m;
  } else {
    return m[lane] != 0;
  }
}
/// True if the condition holds in every lane.
template <typename M>
QCM_HD_INLINE bool all_lanes(M condition) {
  return !any_lane(mask_not(condition));
}

/// Sets lane `lane` of v to s.
template <typename V>
QCM_HD_INLINE void lane_set(V& v, int lane, LaneScalar<V> s) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    (void)lane;
    v = s;
  } else {
    v[lane] = s;
  }
}

template <typename V>
QCM_HD_INLINE V lane_sqrt(V v) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return std::sqrt(v);
  } else {
    // One sqrtpd: GCC vectorises the lane loop of a builtin without errno.
    V r;
    for (int l = 0; l < LaneTraits<V>::kLanes; ++l) r[l] = std::sqrt(v[l]);
    return r;
  }
}

template <typename V>
QCM_HD_INLINE V lane_abs(V v) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return std::fabs(v);
  } else {
    using Bits = typename LaneTraits<V>::Bits;
    constexpr int kShift = 8 * sizeof(LaneScalar<V>) - 1;
    const Bits magnitude = lane_bits(v) & ~(Bits{} + (decltype(Bits{}[0])(1) << kShift));
    return lane_from_bits<V>(magnitude);
  }
}

/// Per lane: the magnitude of `magnitude` with the sign of `sign` (copysign).
template <typename V>
QCM_HD_INLINE V lane_copysign(V magnitude, V sign) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return std::copysign(magnitude, sign);
  } else {
    using Bits = typename LaneTraits<V>::Bits;
    constexpr int kShift = 8 * sizeof(LaneScalar<V>) - 1;
    const Bits sign_bit = Bits{} + (decltype(Bits{}[0])(1) << kShift);
    return lane_from_bits<V>((lane_bits(magnitude) & ~sign_bit) | (lane_bits(sign) & sign_bit));
  }
}

/// Per lane: +-inf.
template <typename V>
QCM_HD_INLINE auto lane_isinf(V v) {
  if constexpr (LaneTraits<V>::kLanes == 1) {
    return std::isinf(v);
  } else {
    return lane_abs(v) == splat<V>(LaneScalar<V>(INFINITY));
  }
}

}  // namespace qcm::core
