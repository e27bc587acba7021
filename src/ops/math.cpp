// Element-wise unary math: negative, abs, square, sqrt, rsqrt, exp, expm1,
// log, log1p, sin, cos, tanh, erf, sign, floor, round, clip.
#include <cmath>
#include <numbers>

#include "backend/cpu/elementwise.hpp"
#include "backend/cpu/vector_math.hpp"
#include "ops/elementwise_ops.hpp"

namespace keras::ops {

namespace {

using namespace detail;
namespace cpu = backend::cpu;

// y = f(x) for any numeric dtype (negative, abs, square also work on integers).
template <class F>
Tensor map_numeric(const char* op, const Tensor& x, F f) {
  check_defined(op, x);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  visit_numeric(x.dtype(), op, [&]<class T>() {
    cpu::map_unary(x.data<T>(), y.data<T>(), x.size(), 1,
                   [f](T v) { return static_cast<T>(f(v)); });
  });
  return y;
}

}  // namespace

Tensor negative(const Tensor& x) {
  Tensor y = map_numeric("negative", x, [](auto v) { return -v; });
  if (is_floating(x.dtype())) {
    record_unary(x, y, 1, [](auto g, auto, auto) { return -g; });
  }
  return y;
}

Tensor abs(const Tensor& x) {
  Tensor y = map_numeric("abs", x, [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_unsigned_v<T>) {
      return v;
    } else {
      return v < T(0) ? -v : v;
    }
  });
  if (is_floating(x.dtype())) {
    record_unary(x, y, 1, [](auto g, auto xv, auto) {
      using T = decltype(g);
      return xv > T(0) ? g : (xv < T(0) ? -g : T(0));
    });
  }
  return y;
}

Tensor square(const Tensor& x) {
  Tensor y = map_numeric("square", x, [](auto v) { return v * v; });
  if (is_floating(x.dtype())) {
    record_unary(x, y, 1, [](auto g, auto xv, auto) { return decltype(g)(2) * g * xv; });
  }
  return y;
}

Tensor sqrt(const Tensor& x) {
  Tensor y = map_float("sqrt", x, 2, [](auto v) { return std::sqrt(v); });
  record_unary(x, y, 2, [](auto g, auto, auto yv) { return g * decltype(g)(0.5) / yv; });
  return y;
}

Tensor rsqrt(const Tensor& x) {
  Tensor y = map_float("rsqrt", x, 2, [](auto v) { return decltype(v)(1) / std::sqrt(v); });
  record_unary(x, y, 2, [](auto g, auto, auto yv) { return g * decltype(g)(-0.5) * yv * yv * yv; });
  return y;
}

Tensor exp(const Tensor& x) {
  Tensor y = map_float("exp", x, 8, [](auto v) { return cpu::exp_fast(v); });
  record_unary(x, y, 1, [](auto g, auto, auto yv) { return g * yv; });
  return y;
}

Tensor expm1(const Tensor& x) {
  Tensor y = map_float("expm1", x, 8, [](auto v) { return cpu::expm1_fast(v); });
  record_unary(x, y, 1, [](auto g, auto, auto yv) { return g * (yv + decltype(g)(1)); });
  return y;
}

Tensor log(const Tensor& x) {
  Tensor y = map_float("log", x, 8, [](auto v) { return cpu::log_fast(v); });
  record_unary(x, y, 2, [](auto g, auto xv, auto) { return g / xv; });
  return y;
}

Tensor log1p(const Tensor& x) {
  Tensor y = map_float("log1p", x, 8, [](auto v) { return cpu::log1p_fast(v); });
  record_unary(x, y, 2, [](auto g, auto xv, auto) { return g / (decltype(g)(1) + xv); });
  return y;
}

Tensor sin(const Tensor& x) {
  Tensor y = map_float("sin", x, 16, [](auto v) { return std::sin(v); });
  record_unary(x, y, 16, [](auto g, auto xv, auto) { return g * std::cos(xv); });
  return y;
}

Tensor cos(const Tensor& x) {
  Tensor y = map_float("cos", x, 16, [](auto v) { return std::cos(v); });
  record_unary(x, y, 16, [](auto g, auto xv, auto) { return -g * std::sin(xv); });
  return y;
}

Tensor tanh(const Tensor& x) {
  Tensor y = map_float("tanh", x, 8, [](auto v) { return cpu::tanh_fast(v); });
  record_unary(x, y, 1, [](auto g, auto, auto yv) { return g * (decltype(g)(1) - yv * yv); });
  return y;
}

Tensor erf(const Tensor& x) {
  Tensor y = map_float("erf", x, 16, [](auto v) { return std::erf(v); });
  record_unary(x, y, 8, [](auto g, auto xv, auto) {
    using T = decltype(g);
    return g * T(std::numbers::inv_sqrtpi * 2) * cpu::exp_fast(-xv * xv);
  });
  return y;
}

// sign, floor and round are piecewise constant: their gradient is zero, so
// they are not recorded (a tape gives zeros for sources reached only through them).
Tensor sign(const Tensor& x) {
  return map_numeric("sign", x, [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_floating_point_v<T>) {
      return v > T(0) ? T(1) : (v < T(0) ? T(-1) : v);  // keeps 0, -0 and NaN
    } else {
      return static_cast<T>((v > T(0)) - (v < T(0)));
    }
  });
}

Tensor floor(const Tensor& x) {
  if (!is_floating(x.dtype())) return x;
  return map_float("floor", x, 2, [](auto v) { return std::floor(v); });
}

Tensor round(const Tensor& x) {
  if (!is_floating(x.dtype())) return x;
  // nearbyint rounds half to even in the default rounding mode, as numpy.round.
  return map_float("round", x, 2, [](auto v) { return std::nearbyint(v); });
}

Tensor clip(const Tensor& x, double min_value, double max_value) {
  check_defined("clip", x);
  Tensor y = visit_numeric(x.dtype(), "clip", [&]<class T>() {
    const T lo = static_cast<T>(min_value), hi = static_cast<T>(max_value);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    // numpy.clip = minimum(maximum(x, min), max): max wins if min > max.
    cpu::map_unary(x.data<T>(), out.data<T>(), x.size(), 1, [lo, hi](T v) {
      const T a = v > lo ? v : lo;
      return a < hi ? a : hi;
    });
    return out;
  });
  if (is_floating(x.dtype())) {
    record_unary(x, y, 1, [min_value, max_value](auto g, auto xv, auto) {
      using T = decltype(g);
      return xv >= T(min_value) && xv <= T(max_value) ? g : T(0);
    });
  }
  return y;
}

}  // namespace keras::ops
