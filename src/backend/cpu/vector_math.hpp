#pragma once
// Scalar math written so that GCC vectorises the loops that call it: no
// branches, no calls into libm for float32. The float64 versions call the C
// library (float64 serves gradient checks, where accuracy matters more than
// speed). Each fast function has a plain libm reference_* twin that the tests
// compare it with.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace keras::backend::cpu {

// exp for float32 within a few ulp of std::exp, using Cephes' reduction
// x = n ln2 + r (|r| <= ln2/2) and a degree-7 polynomial for exp(r). The
// scale 2^n is applied in two halves so that results in the subnormal range
// and the overflow to inf come out as libm gives them.
inline float exp_fast(float x) {
  // Ternaries and the 1.5 * 2^23 rounding trick instead of fmin/fmax/floor,
  // which GCC only vectorises under -ffast-math.
  float c = x < -104.0f ? -104.0f : x;
  c = c > 89.0f ? 89.0f : c;
  const float n = (c * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = c - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const std::int32_t ni = static_cast<std::int32_t>(n);
  const std::int32_t half = ni >> 1;
  const float s1 = std::bit_cast<float>((half + 127) << 23);
  const float s2 = std::bit_cast<float>((ni - half + 127) << 23);
  float result = y * s1 * s2;
  result = x < -104.0f ? 0.0f : result;
  return x != x ? x : result;
}

inline double exp_fast(double x) { return std::exp(x); }

// tanh: an odd polynomial near 0 (Cephes tanhf, where 1 - 2/(e^2x + 1)
// would lose digits), the exp form elsewhere; both computed, one selected.
inline float tanh_fast(float x) {
  const float a = x < 0.0f ? -x : x;
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * x + x;
  const float e = exp_fast(2.0f * (a < 44.0f ? a : 44.0f));
  const float t = 1.0f - 2.0f / (e + 1.0f);
  const float large = x < 0.0f ? -t : t;
  const float result = a < 0.625f ? small : large;
  return x != x ? x : result;
}

inline double tanh_fast(double x) { return std::tanh(x); }

// 1 / (1 + e^-x): exp(-x) overflowing to inf gives exactly 0.
inline float sigmoid_fast(float x) { return 1.0f / (1.0f + exp_fast(-x)); }

inline double sigmoid_fast(double x) {
  // Stable for both signs: never exponentiates a large positive number.
  const double e = std::exp(-std::fabs(x));
  return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// exp(x) - 1 without the cancellation near 0: a Taylor polynomial for
// |x| < 0.5 (error below 1e-9 relative), exp_fast(x) - 1 elsewhere.
inline float expm1_fast(float x) {
  float p = x * (1.0f / 9.0f) + 1.0f;
  p = p * x * (1.0f / 8.0f) + 1.0f;
  p = p * x * (1.0f / 7.0f) + 1.0f;
  p = p * x * (1.0f / 6.0f) + 1.0f;
  p = p * x * (1.0f / 5.0f) + 1.0f;
  p = p * x * (1.0f / 4.0f) + 1.0f;
  p = p * x * (1.0f / 3.0f) + 1.0f;
  p = p * x * 0.5f + 1.0f;
  const float small = p * x;
  const float large = exp_fast(x) - 1.0f;
  const float a = x < 0.0f ? -x : x;
  return a < 0.5f ? small : large;
}

inline double expm1_fast(double x) { return std::expm1(x); }

// Natural log for float32 (Cephes logf): x = m 2^e with m in [sqrt(1/2), sqrt(2)),
// log(m) by a polynomial in m - 1. Subnormals are scaled up first; 0, negative
// numbers, inf and NaN give what libm gives.
inline float log_fast(float x) {
  const bool subnormal = x < 1.17549435e-38f;
  const float xs = x * (subnormal ? 8388608.0f : 1.0f);  // 2^23
  const std::int32_t bits = std::bit_cast<std::int32_t>(xs);
  const std::int32_t shift = subnormal ? 23 : 0;
  float e = static_cast<float>(((bits >> 23) & 0xff) - 126 - shift);
  float m = std::bit_cast<float>((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  const bool low = m < 0.707106781186547524f;
  e = low ? e - 1.0f : e;
  m = low ? m + m - 1.0f : m - 1.0f;
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y += -2.12194440e-4f * e;
  y += -0.5f * z;
  float result = m + y + 0.693359375f * e;
  result = x == 0.0f ? -std::numeric_limits<float>::infinity() : result;
  result = x < 0.0f ? std::numeric_limits<float>::quiet_NaN() : result;
  result = x == std::numeric_limits<float>::infinity() ? x : result;
  return x != x ? x : result;
}

inline double log_fast(double x) { return std::log(x); }

// log(1 + x), accurate near 0: log(w) corrected by the rounding of w = 1 + x.
inline float log1p_fast(float x) {
  const float w = 1.0f + x;
  const float d = w - 1.0f;
  const float corrected = log_fast(w) - (d - x) / w;
  return d == 0.0f ? x : corrected;
}

inline double log1p_fast(double x) { return std::log1p(x); }

template <class T>
T reference_exp(T x) {
  return std::exp(x);
}
template <class T>
T reference_tanh(T x) {
  return std::tanh(x);
}
template <class T>
T reference_sigmoid(T x) {
  const T e = std::exp(-std::fabs(x));
  return x >= 0 ? T(1) / (T(1) + e) : e / (T(1) + e);
}

}  // namespace keras::backend::cpu
