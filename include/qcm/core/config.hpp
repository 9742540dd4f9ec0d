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

/// QCM_HD, and kept out of line on the host: for the scalar functions with
/// complex arithmetic that the stepping loop of general models calls. That
/// loop has an x86-64-v3 clone (kernels/general_launch.hpp) that must round
/// like the baseline, and GCC 12 fuses complex products into FMA
/// (vfmaddsub) even under -ffp-contract=off once they are inlined there; out
/// of line they run the baseline's code. A call per collision costs nothing
/// next to what these functions compute. On the GPU they inline as usual.
#if defined(__CUDACC__)
#define QCM_HD_NOINLINE __host__ __device__ inline
#elif defined(__GNUC__)
#define QCM_HD_NOINLINE inline __attribute__((noinline))
#else
#define QCM_HD_NOINLINE inline
#endif
