// @file core layer: a minimal complex number usable in host and device code.
//
// std::complex is not device-safe and cuda::std::complex is not available on a
// machine without CUDA, so the core carries its own (a few operators only).
#pragma once

#include <cmath>

#include "qcm/core/config.hpp"

namespace qcm::core {

template <typename T>
struct Complex {
  T re{0};
  T im{0};
};

template <typename T>
QCM_HD Complex<T> operator+(Complex<T> a, Complex<T> b) {
  return {a.re + b.re, a.im + b.im};
}
template <typename T>
QCM_HD Complex<T> operator-(Complex<T> a, Complex<T> b) {
  return {a.re - b.re, a.im - b.im};
}
template <typename T>
QCM_HD Complex<T> operator*(Complex<T> a, Complex<T> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <typename T>
QCM_HD Complex<T> operator*(T s, Complex<T> a) {
  return {s * a.re, s * a.im};
}
template <typename T>
QCM_HD Complex<T> conj(Complex<T> a) {
  return {a.re, -a.im};
}
template <typename T>
QCM_HD T norm2(Complex<T> a) {
  return a.re * a.re + a.im * a.im;
}
template <typename T>
QCM_HD T abs(Complex<T> a) {
  return std::sqrt(norm2(a));
}
/// e^{i phi}
template <typename T>
QCM_HD Complex<T> expi(T phi) {
  return {std::cos(phi), std::sin(phi)};
}

/// The unit of S, a real type or Complex<T> (Complex has no constructor from 1).
template <typename S>
QCM_HD S one_of() {
  S s{};
  if constexpr (requires { s.re; }) {
    s.re = 1;
  } else {
    s = 1;
  }
  return s;
}

}  // namespace qcm::core
