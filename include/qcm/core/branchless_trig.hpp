// @file core layer: acos, and cos and sin on [0, pi/3], without branches, for a
// scalar or a lane vector (qcm/core/lanes.hpp).
//
// Why: the eigenvalues of a 3x3 Hermitian state (the entropy of a qutrit or
// spin-1 system at every collision) come from the trigonometric solution of
// its characteristic cubic, cos(acos(q)/3) and sin(acos(q)/3). glibc's acos,
// cos and sin are opaque scalar calls with branches; these are written with
// lane-wise arithmetic and selects, so that the same code computes one point's
// eigenvalues or several points' in SIMD lanes with the same numbers
// (dense::detail::cubic_3x3). Scalar, they are also a little cheaper than the
// three libm calls.
//
// acos is fdlibm's e_acos.c (Sun, 1993; error below 1 ulp) with its three
// cases computed together and selected. cos and sin are their Taylor series
// to x^18 and x^17: on [0, pi/3] the first omitted terms are about 1e-18 and
// 2e-17 (Horner in x^2, rounding error about 1 ulp). In float the same series
// is used, its coefficients rounded (more terms than float needs); acos takes
// fdlibm's float splits of pi and pi/2. On the GPU the device's own
// functions are used.
#pragma once

#include <cmath>
#include <cstdint>

#include "qcm/core/config.hpp"
#include "qcm/core/lanes.hpp"

namespace qcm::core {

/// acos(x) for x in [-1, 1] (callers clamp; outside, the result is meaningless).
template <typename V>
QCM_HD_INLINE V branchless_acos(V x) {
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(V) == 4) {
    return acosf(x);
  } else {
    return acos(x);
  }
#else
  using S = LaneScalar<V>;
  using Bits = typename LaneTraits<V>::Bits;
  // fdlibm's splits of pi and pi/2 (e_acos.c; e_acosf.c in float).
  constexpr S kPi = sizeof(S) == 8 ? S(3.14159265358979311600e+00) : S(3.1415925026e+00f);
  constexpr S kPio2Hi = sizeof(S) == 8 ? S(1.57079632679489655800e+00) : S(1.5707962513e+00f);
  constexpr S kPio2Lo = sizeof(S) == 8 ? S(6.12323399573676603587e-17) : S(7.5497894159e-08f);
  const auto rational = [](V z) {  // asin(s) = s + s r(s^2) on [0, 0.5]
    constexpr S kPs0 = S(1.66666666666666657415e-01);
    constexpr S kPs1 = S(-3.25565818622400915405e-01);
    constexpr S kPs2 = S(2.01212532134862925881e-01);
    constexpr S kPs3 = S(-4.00555345006794114027e-02);
    constexpr S kPs4 = S(7.91534994289814532176e-04);
    constexpr S kPs5 = S(3.47933107596021167570e-05);
    constexpr S kQs1 = S(-2.40339491173441421878e+00);
    constexpr S kQs2 = S(2.02094576023350569471e+00);
    constexpr S kQs3 = S(-6.88283971605453293030e-01);
    constexpr S kQs4 = S(7.70381505559019352791e-02);
    const V p = z * (kPs0 + z * (kPs1 + z * (kPs2 + z * (kPs3 + z * (kPs4 + z * kPs5)))));
    const V q = S(1) + z * (kQs1 + z * (kQs2 + z * (kQs3 + z * kQs4)));
    return p / q;
  };
  const V ax = lane_abs(x);
  const auto small = ax < splat<V>(S(0.5));
  // |x| < 0.5: pi/2 - (x + x r(x^2)).
  const V x2 = x * x;
  const V small_value = kPio2Hi - (x - (kPio2Lo - x * rational(x2)));
  // |x| >= 0.5: with z = (1 - |x|)/2 and s = sqrt(z), acos(|x|) = 2 asin(s).
  const V z = (S(1) - ax) * S(0.5);
  const V s = lane_sqrt(z);
  const V r = rational(z);
  // x <= -0.5: pi - 2 (s + s r - pio2_lo).
  const V negative_value = kPi - S(2) * (s + (r * s - kPio2Lo));
  // x >= 0.5: s split as df (its high half) + c, so that 2 df is exact.
  Bits high_mask;
  if constexpr (sizeof(S) == 8) {
    high_mask = Bits{} + 0xffffffff00000000ull;
  } else {
    high_mask = Bits{} + 0xfffff000u;
  }
  const V df = lane_from_bits<V>(lane_bits(s) & high_mask);
  const V denominator = s + df;
  // At x = 1, s = df = 0: the correction is 0 (fdlibm returns 0 there).
  const V c =
      lane_select(denominator > splat<V>(S(0)), (z - df * df) / denominator, splat<V>(S(0)));
  const V positive_value = S(2) * (df + (r * s + c));
  const V large_value = lane_select(x < splat<V>(S(0)), negative_value, positive_value);
  return lane_select(small, small_value, large_value);
#endif
}

/// cos(x) and sin(x) for x in [0, pi/3].
template <typename V>
QCM_HD_INLINE void branchless_cos_sin_third(V x, V& cos_x, V& sin_x) {
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(V) == 4) {
    sincosf(x, &sin_x, &cos_x);
  } else {
    sincos(x, &sin_x, &cos_x);
  }
#else
  using S = LaneScalar<V>;
  const V z = x * x;
  // 1/(2k)! and 1/(2k+1)!, alternating.
  constexpr S kC2 = S(-1.0 / 2), kC4 = S(1.0 / 24), kC6 = S(-1.0 / 720), kC8 = S(1.0 / 40320),
              kC10 = S(-1.0 / 3628800), kC12 = S(1.0 / 479001600), kC14 = S(-1.0 / 87178291200.0),
              kC16 = S(1.0 / 20922789888000.0), kC18 = S(-1.0 / 6402373705728000.0);
  constexpr S kS3 = S(-1.0 / 6), kS5 = S(1.0 / 120), kS7 = S(-1.0 / 5040), kS9 = S(1.0 / 362880),
              kS11 = S(-1.0 / 39916800), kS13 = S(1.0 / 6227020800.0),
              kS15 = S(-1.0 / 1307674368000.0), kS17 = S(1.0 / 355687428096000.0);
  cos_x =
      S(1) +
      z * (kC2 +
           z * (kC4 +
                z * (kC6 +
                     z * (kC8 + z * (kC10 + z * (kC12 + z * (kC14 + z * (kC16 + z * kC18))))))));
  sin_x =
      x + x * z *
              (kS3 +
               z * (kS5 + z * (kS7 + z * (kS9 + z * (kS11 + z * (kS13 + z * (kS15 + z * kS17)))))));
#endif
}

}  // namespace qcm::core
