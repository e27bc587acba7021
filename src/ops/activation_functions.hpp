#pragma once
// The element-wise activations as small function objects: forward(x) and
// backward(g, x, y) = g * dy/dx (x the input, y the output). ops::relu & co.
// and the fused ops::dense both use them, so each formula is written once.
// Formulas and constants follow Keras 3 (JAX backend): see keras.ops.nn.
#include <cmath>
#include <numbers>
#include <string>

#include "backend/cpu/vector_math.hpp"

namespace keras::ops::activation_functions {

namespace cpu = backend::cpu;

// selu's constants, as jax.nn.selu.
inline constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
inline constexpr double kSeluScale = 1.0507009873554804934193349852946;

// cost: work units per element; uses_input: whether backward needs x (or y alone suffices).
struct Linear {
  static constexpr int cost = 1;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const { return x; }
  template <class T> T backward(T g, T, T) const { return g; }
};

struct Relu {
  static constexpr int cost = 1;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const { return x < T(0) ? T(0) : x; }
  template <class T> T backward(T g, T, T y) const { return y > T(0) ? g : T(0); }
};

struct Relu6 {
  static constexpr int cost = 1;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const {
    const T a = x < T(0) ? T(0) : x;
    return a > T(6) ? T(6) : a;
  }
  template <class T> T backward(T g, T, T y) const { return y > T(0) && y < T(6) ? g : T(0); }
};

struct LeakyRelu {
  double negative_slope = 0.2;
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x >= T(0) ? x : T(negative_slope) * x; }
  template <class T> T backward(T g, T x, T) const { return x >= T(0) ? g : T(negative_slope) * g; }
};

struct Elu {
  double alpha = 1.0;
  static constexpr int cost = 8;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    return x > T(0) ? x : T(alpha) * cpu::expm1_fast(x > T(0) ? T(0) : x);
  }
  template <class T> T backward(T g, T x, T y) const { return x > T(0) ? g : g * (y + T(alpha)); }
};

struct Selu {
  static constexpr int cost = 8;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    const T e = T(kSeluAlpha) * cpu::expm1_fast(x > T(0) ? T(0) : x);
    return T(kSeluScale) * (x > T(0) ? x : e);
  }
  template <class T> T backward(T g, T x, T y) const {
    return x > T(0) ? g * T(kSeluScale) : g * (y + T(kSeluScale * kSeluAlpha));
  }
};

struct Celu {
  double alpha = 1.0;
  static constexpr int cost = 8;
  static constexpr bool uses_input = true;
  // max(x, 0) + alpha * expm1(min(x, 0) / alpha)
  template <class T> T forward(T x) const {
    const T neg = x < T(0) ? x : T(0);
    return (x > T(0) ? x : T(0)) + T(alpha) * cpu::expm1_fast(neg / T(alpha));
  }
  template <class T> T backward(T g, T x, T) const {
    return x > T(0) ? g : g * cpu::exp_fast(x / T(alpha));
  }
};

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) when approximate, else
// 0.5 x (1 + erf(x / sqrt(2))).
struct Gelu {
  bool approximate = true;
  static constexpr int cost = 16;
  static constexpr bool uses_input = true;
  static constexpr double kC = 0.7978845608028654;  // sqrt(2 / pi)
  // 0.5 (1 + tanh(u)) = sigmoid(2u): the sigmoid form keeps its relative
  // accuracy in the negative tail, where 1 + tanh(u) cancels.
  template <class T> T forward(T x) const {
    if (approximate) {
      const T u = T(kC) * (x + T(0.044715) * x * x * x);
      return x * cpu::sigmoid_fast(T(2) * u);
    }
    return T(0.5) * x * (T(1) + std::erf(x * T(std::numbers::sqrt2 / 2)));
  }
  template <class T> T backward(T g, T x, T) const {
    if (approximate) {
      const T u = T(kC) * (x + T(0.044715) * x * x * x);
      const T s = cpu::sigmoid_fast(T(2) * u);
      const T du = T(kC) * (T(1) + T(3 * 0.044715) * x * x);
      return g * (s + x * s * (T(1) - s) * T(2) * du);
    }
    const T cdf = T(0.5) * (T(1) + std::erf(x * T(std::numbers::sqrt2 / 2)));
    const T pdf = cpu::exp_fast(T(-0.5) * x * x) * T(std::numbers::inv_sqrtpi / std::numbers::sqrt2);
    return g * (cdf + x * pdf);
  }
};

struct Sigmoid {
  static constexpr int cost = 8;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const { return cpu::sigmoid_fast(x); }
  template <class T> T backward(T g, T, T y) const { return g * y * (T(1) - y); }
};

struct Silu {
  static constexpr int cost = 8;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x * cpu::sigmoid_fast(x); }
  template <class T> T backward(T g, T x, T) const {
    const T s = cpu::sigmoid_fast(x);
    return g * s * (T(1) + x * (T(1) - s));
  }
};

// relu6(x + 3) / 6
struct HardSigmoid {
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return Relu6{}.forward(x + T(3)) / T(6); }
  template <class T> T backward(T g, T x, T) const {
    return x > T(-3) && x < T(3) ? g / T(6) : T(0);
  }
};

// x * hard_sigmoid(x)
struct HardSilu {
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x * HardSigmoid{}.forward(x); }
  template <class T> T backward(T g, T x, T) const {
    return x <= T(-3) ? T(0) : (x >= T(3) ? g : g * (T(2) * x + T(3)) / T(6));
  }
};

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
struct Softplus {
  static constexpr int cost = 16;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    const T a = x < T(0) ? -x : x;
    return (x > T(0) ? x : T(0)) + cpu::log1p_fast(cpu::exp_fast(-a));
  }
  template <class T> T backward(T g, T x, T) const { return g * cpu::sigmoid_fast(x); }
};

// -softplus(-x)
struct LogSigmoid {
  static constexpr int cost = 16;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return -Softplus{}.forward(-x); }
  template <class T> T backward(T g, T x, T) const { return g * cpu::sigmoid_fast(-x); }
};

struct Softsign {
  static constexpr int cost = 2;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x / (T(1) + (x < T(0) ? -x : x)); }
  template <class T> T backward(T g, T x, T) const {
    const T d = T(1) + (x < T(0) ? -x : x);
    return g / (d * d);
  }
};

struct SoftShrink {
  double threshold = 0.5;
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    const T t = T(threshold);
    return x > t ? x - t : (x < -t ? x + t : T(0));
  }
  template <class T> T backward(T g, T x, T) const {
    const T t = T(threshold);
    return x > t || x < -t ? g : T(0);
  }
};

struct HardShrink {
  double threshold = 0.5;
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    return (x < T(0) ? -x : x) > T(threshold) ? x : T(0);
  }
  template <class T> T backward(T g, T x, T) const {
    return (x < T(0) ? -x : x) > T(threshold) ? g : T(0);
  }
};

// x - tanh(x)
struct TanhShrink {
  static constexpr int cost = 8;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x - cpu::tanh_fast(x); }
  template <class T> T backward(T g, T x, T) const {
    const T t = cpu::tanh_fast(x);
    return g * t * t;
  }
};

struct Tanh {
  static constexpr int cost = 8;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const { return cpu::tanh_fast(x); }
  template <class T> T backward(T g, T, T y) const { return g * (T(1) - y * y); }
};

struct HardTanh {
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x > T(1) ? T(1) : (x < T(-1) ? T(-1) : x); }
  template <class T> T backward(T g, T x, T) const { return x > T(-1) && x < T(1) ? g : T(0); }
};

// (x + sqrt(x^2 + b)) / 2
struct Squareplus {
  double b = 4.0;
  static constexpr int cost = 4;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return (x + std::sqrt(x * x + T(b))) / T(2); }
  template <class T> T backward(T g, T x, T) const {
    return g * T(0.5) * (T(1) + x / std::sqrt(x * x + T(b)));
  }
};

// 0 for x <= -1, x for x >= 1, (x + 1)^2 / 4 between.
struct SparsePlus {
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    return x <= T(-1) ? T(0) : (x >= T(1) ? x : (x + T(1)) * (x + T(1)) / T(4));
  }
  template <class T> T backward(T g, T x, T) const {
    return x <= T(-1) ? T(0) : (x >= T(1) ? g : g * (x + T(1)) / T(2));
  }
};

// 0.5 * clip(x + 1, 0, 2)
struct SparseSigmoid {
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const {
    const T c = x + T(1);
    return T(0.5) * (c < T(0) ? T(0) : (c > T(2) ? T(2) : c));
  }
  template <class T> T backward(T g, T x, T) const {
    return x > T(-1) && x < T(1) ? g * T(0.5) : T(0);
  }
};

// x * tanh(softplus(x))
struct Mish {
  static constexpr int cost = 24;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x * cpu::tanh_fast(Softplus{}.forward(x)); }
  template <class T> T backward(T g, T x, T) const {
    const T t = cpu::tanh_fast(Softplus{}.forward(x));
    return g * (t + x * (T(1) - t * t) * cpu::sigmoid_fast(x));
  }
};

struct Threshold {
  double threshold = 0.0;
  double default_value = 0.0;
  static constexpr int cost = 1;
  static constexpr bool uses_input = true;
  template <class T> T forward(T x) const { return x > T(threshold) ? x : T(default_value); }
  template <class T> T backward(T g, T x, T) const { return x > T(threshold) ? g : T(0); }
};

struct Exponential {
  static constexpr int cost = 8;
  static constexpr bool uses_input = false;
  template <class T> T forward(T x) const { return cpu::exp_fast(x); }
  template <class T> T backward(T g, T, T y) const { return g * y; }
};

// Calls f(functor) for the Keras activation names that are element-wise with
// their keras.activations defaults (gelu exact, leaky_relu slope 0.2) and
// returns true; returns false for the others (softmax, glu, ...).
template <class F>
bool visit_elementwise(const std::string& name, F&& f) {
  if (name.empty() || name == "linear") return f(Linear{}), true;
  if (name == "relu") return f(Relu{}), true;
  if (name == "relu6") return f(Relu6{}), true;
  if (name == "leaky_relu") return f(LeakyRelu{}), true;
  if (name == "elu") return f(Elu{}), true;
  if (name == "selu") return f(Selu{}), true;
  if (name == "celu") return f(Celu{}), true;
  if (name == "gelu") return f(Gelu{false}), true;
  if (name == "sigmoid") return f(Sigmoid{}), true;
  if (name == "silu" || name == "swish") return f(Silu{}), true;
  if (name == "hard_sigmoid") return f(HardSigmoid{}), true;
  if (name == "hard_silu" || name == "hard_swish") return f(HardSilu{}), true;
  if (name == "softplus") return f(Softplus{}), true;
  if (name == "log_sigmoid") return f(LogSigmoid{}), true;
  if (name == "softsign") return f(Softsign{}), true;
  if (name == "soft_shrink") return f(SoftShrink{}), true;
  if (name == "hard_shrink") return f(HardShrink{}), true;
  if (name == "tanh_shrink") return f(TanhShrink{}), true;
  if (name == "tanh") return f(Tanh{}), true;
  if (name == "hard_tanh") return f(HardTanh{}), true;
  if (name == "squareplus") return f(Squareplus{}), true;
  if (name == "sparse_plus") return f(SparsePlus{}), true;
  if (name == "sparse_sigmoid") return f(SparseSigmoid{}), true;
  if (name == "mish") return f(Mish{}), true;
  if (name == "exponential") return f(Exponential{}), true;
  return false;
}

}  // namespace keras::ops::activation_functions
