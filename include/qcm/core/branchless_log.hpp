// @file core layer: a natural logarithm without branches, for a scalar or a
// lane vector (qcm/core/lanes.hpp).
//
// Why: stepping a point needs the entropy of every state, two logarithms per
// collision, and glibc's log is an opaque scalar call with branches for the
// special cases: on the cpu backend it was a third of the instructions of a
// collision (callgrind). These are the kernels of fdlibm's e_log.c and
// e_logf.c (Sun, 1993; error below 1 ulp) with their branches removed: the
// mantissa is brought into [sqrt(2)/2, sqrt(2)) by integer arithmetic on the
// bit pattern, and the formula of fdlibm's general case is used throughout
// (mathematically equal to the one it replaces). On lane vectors every step
// is one SIMD instruction.
//
// Domain: positive normal numbers. For 0, subnormals, negative numbers, inf
// and NaN the result is finite and meaningless; callers select those out (see
// x_log_x). On the GPU the device's own log is used.
#pragma once

#include <cmath>
#include <cstdint>

#include "qcm/core/config.hpp"
#include "qcm/core/lanes.hpp"

namespace qcm::core {

template <typename V>
QCM_HD_INLINE V branchless_log(V x) {
#if defined(__CUDA_ARCH__)
  // V is a scalar on the device.
  if constexpr (sizeof(V) == 4) {
    return logf(x);
  } else {
    return log(x);
  }
#else
  using S = LaneScalar<V>;
  using Bits = typename LaneTraits<V>::Bits;
  const Bits bits = lane_bits(x);
  Bits m_bits, k_bits;
  S k_offset;
  if constexpr (sizeof(S) == 8) {
    // x = 2^k m with m in [1, 2). Adding 0x95f64 to the top 20 mantissa bits
    // carries into bit 20 exactly when m >= sqrt(2); then m is halved (its
    // exponent field set to 0x3fe instead of 0x3ff) and k raised by one.
    const Bits high_mantissa = (bits >> 32) & 0x000fffffu;
    const Bits carry = (high_mantissa + 0x95f64u) & 0x100000u;
    m_bits = (bits & 0x000fffffffffffffull) | ((carry ^ 0x3ff00000u) << 32);
    // k as a floating-point number without an integer conversion (int64 ->
    // double is absent below AVX-512): 2^52 + e has e in its low mantissa bits.
    k_bits = ((bits >> 52) + (carry >> 20)) | 0x4330000000000000ull;
    k_offset = S(0x1p52) + S(1023);
  } else {
    // The same in float: 23 mantissa bits, exponent bias 127.
    const Bits mantissa = bits & 0x007fffffu;
    const Bits carry = (mantissa + 0x4afb0du) & 0x800000u;
    m_bits = mantissa | (carry ^ 0x3f800000u);
    k_bits = ((bits >> 23) + (carry >> 23)) | 0x4b000000u;
    k_offset = S(0x1p23f) + S(127);
  }
  const V m = lane_from_bits<V>(m_bits);
  const V k = lane_from_bits<V>(k_bits) - k_offset;
  const V f = m - S(1);
  const V s = f / (S(2) + f);
  const V z = s * s;
  const V w = z * z;
  V r;
  S ln2_hi, ln2_lo;
  if constexpr (sizeof(S) == 8) {
    constexpr S kLg1 = 6.666666666666735130e-01;
    constexpr S kLg2 = 3.999999999940941908e-01;
    constexpr S kLg3 = 2.857142874366239149e-01;
    constexpr S kLg4 = 2.222219843214978396e-01;
    constexpr S kLg5 = 1.818357216161805012e-01;
    constexpr S kLg6 = 1.531383769920937332e-01;
    constexpr S kLg7 = 1.479819860511658591e-01;
    const V t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
    const V t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
    r = t2 + t1;
    ln2_hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
    ln2_lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76
  } else {
    constexpr S kLg1 = 0xaaaaaa.0p-24f;
    constexpr S kLg2 = 0xccce13.0p-25f;
    constexpr S kLg3 = 0x91e9ee.0p-25f;
    constexpr S kLg4 = 0xf89e26.0p-26f;
    const V t1 = w * (kLg2 + w * kLg4);
    const V t2 = z * (kLg1 + w * kLg3);
    r = t2 + t1;
    ln2_hi = 6.9313812256e-01f;  // 0x3f317180
    ln2_lo = 9.0580006145e-06f;  // 0x3717f7d1
  }
  const V half_f_squared = S(0.5) * f * f;
  return k * ln2_hi - ((half_f_squared - (s * (half_f_squared + r) + k * ln2_lo)) - f);
#endif
}

/// x ln x with 0 ln 0 = 0; NaN stays NaN. Branch-free: the choice is a select.
template <typename V>
QCM_HD_INLINE V x_log_x(V x) {
  using S = LaneScalar<V>;
  const V product = x * branchless_log(x);
  const V zero_or_nan = x * S(0);
  return lane_select(x > splat<V>(S(0)), product, zero_or_nan);
}

}  // namespace qcm::core
