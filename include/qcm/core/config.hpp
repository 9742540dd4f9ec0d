// @file core layer: the single host/device annotation macro.
#pragma once

#if defined(__CUDACC__)
#define QCM_HD __host__ __device__ inline
#else
#define QCM_HD inline
#endif
