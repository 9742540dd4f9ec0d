// @file core layer: the host/device annotation macros.
#pragma once

#if defined(__CUDACC__)
#define QCM_HD __host__ __device__ inline
#else
#define QCM_HD inline
#endif

/// QCM_HD, and always inlined: for the small functions called in the kernels'
/// loops over lanes (kernels/point_kernel.hpp). One call left out of line keeps
/// the whole loop scalar, and GCC stops inlining them in the large kernels.
#if defined(__CUDACC__)
#define QCM_HD_INLINE __host__ __device__ __forceinline__
#elif defined(__GNUC__)
#define QCM_HD_INLINE inline __attribute__((always_inline))
#else
#define QCM_HD_INLINE inline
#endif
