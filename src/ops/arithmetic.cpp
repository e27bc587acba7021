// Broadcasting arithmetic: add, subtract, multiply, divide, maximum, minimum,
// power, their scalar forms and the operators.
#include <cmath>

#include "backend/cpu/elementwise.hpp"
#include "ops/elementwise_ops.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

// out = f(a, b) with broadcasting, for operands already of one dtype.
template <class F>
Tensor broadcast_map(const char* op, const Tensor& a, const Tensor& b, bool floats_only,
                     std::int64_t cost, F f) {
  const Shape out_shape = broadcast_shapes(op, a.shape(), b.shape());
  Tensor out = Tensor::empty(out_shape, a.dtype());
  const auto plan = cpu::plan_broadcast<2>({a.shape(), b.shape()}, out_shape);
  auto run = [&]<class T>() {
    cpu::map_binary(plan, a.data<T>(), b.data<T>(), out.data<T>(), cost,
                    [f](T x, T y) { return static_cast<T>(f(x, y)); });
  };
  if (floats_only) {
    visit_float(a.dtype(), op, run);
  } else {
    visit_numeric(a.dtype(), op, run);
  }
  return out;
}

// out = f(g, a, b) over the broadcast shape of g (a and b broadcast to it).
template <class F>
Tensor broadcast_map3(const Tensor& g, const Tensor& a, const Tensor& b, F f) {
  Tensor out = Tensor::empty(g.shape(), g.dtype());
  const auto plan = cpu::plan_broadcast<3>({g.shape(), a.shape(), b.shape()}, g.shape());
  visit_float(g.dtype(), "gradient", [&]<class T>() {
    cpu::map_ternary(plan, g.data<T>(), a.data<T>(), b.data<T>(), out.data<T>(), 2,
                     [f](T gv, T av, T bv) { return static_cast<T>(f(gv, av, bv)); });
  });
  return out;
}

bool differentiable(const Tensor& a) { return is_floating(a.dtype()); }

}  // namespace

Tensor add(const Tensor& a0, const Tensor& b0) {
  check_defined("add", a0);
  check_defined("add", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("add", a, b);
  Tensor y = broadcast_map("add", a, b, false, 1, [](auto x, auto z) { return x + z; });
  if (autodiff::is_recording() && differentiable(y)) {
    autodiff::record({a, b}, {y}, [](const Grads& g, const Needs&) { return Grads{g[0], g[0]}; });
  }
  return y;
}

Tensor subtract(const Tensor& a0, const Tensor& b0) {
  check_defined("subtract", a0);
  check_defined("subtract", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("subtract", a, b);
  Tensor y = broadcast_map("subtract", a, b, false, 1, [](auto x, auto z) { return x - z; });
  if (autodiff::is_recording() && differentiable(y)) {
    autodiff::record({a, b}, {y}, [](const Grads& g, const Needs& needs) {
      return Grads{g[0], needs[1] ? negative(g[0]) : Tensor()};
    });
  }
  return y;
}

Tensor multiply(const Tensor& a0, const Tensor& b0) {
  check_defined("multiply", a0);
  check_defined("multiply", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("multiply", a, b);
  Tensor y = broadcast_map("multiply", a, b, false, 1, [](auto x, auto z) { return x * z; });
  if (autodiff::is_recording() && differentiable(y)) {
    autodiff::record({a, b}, {y}, [a, b](const Grads& g, const Needs& needs) {
      return Grads{needs[0] ? multiply(g[0], b) : Tensor(), needs[1] ? multiply(g[0], a) : Tensor()};
    });
  }
  return y;
}

Tensor divide(const Tensor& a0, const Tensor& b0) {
  check_defined("divide", a0);
  check_defined("divide", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("divide", a, b);
  Tensor y = broadcast_map("divide", a, b, true, 2, [](auto x, auto z) { return x / z; });
  if (autodiff::is_recording()) {
    autodiff::record({a, b}, {y}, [b, y](const Grads& g, const Needs& needs) {
      Grads out(2);
      if (needs[0]) out[0] = divide(g[0], b);
      // d(a/b)/db = -a/b^2 = -y/b
      if (needs[1]) out[1] = broadcast_map3(g[0], y, b, [](auto gv, auto yv, auto bv) {
        return -gv * yv / bv;
      });
      return out;
    });
  }
  return y;
}

namespace {

// maximum/minimum: the gradient goes to the chosen operand; on ties it is
// split in halves, as JAX does.
template <bool kMax>
Tensor extremum(const char* op, const Tensor& a0, const Tensor& b0) {
  check_defined(op, a0);
  check_defined(op, b0);
  Tensor a = a0, b = b0;
  unify_dtypes(op, a, b);
  Tensor y = broadcast_map(op, a, b, false, 1, [](auto x, auto z) {
    if constexpr (kMax) {
      return x > z ? x : z;
    } else {
      return x < z ? x : z;
    }
  });
  if (autodiff::is_recording() && differentiable(y)) {
    autodiff::record({a, b}, {y}, [a, b](const Grads& g, const Needs& needs) {
      Grads out(2);
      auto share = [](auto gv, auto mine, auto other) {
        using T = decltype(gv);
        const bool wins = kMax ? mine > other : mine < other;
        return wins ? gv : (mine == other ? gv * T(0.5) : T(0));
      };
      if (needs[0]) out[0] = broadcast_map3(g[0], a, b, share);
      if (needs[1]) out[1] = broadcast_map3(g[0], b, a, share);
      return out;
    });
  }
  return y;
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) { return extremum<true>("maximum", a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return extremum<false>("minimum", a, b); }

Tensor power(const Tensor& a0, const Tensor& b0) {
  check_defined("power", a0);
  check_defined("power", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("power", a, b);
  Tensor y = broadcast_map("power", a, b, true, 8, [](auto x, auto z) { return std::pow(x, z); });
  if (autodiff::is_recording()) {
    autodiff::record({a, b}, {y}, [a, b, y](const Grads& g, const Needs& needs) {
      Grads out(2);
      if (needs[0]) {
        out[0] = broadcast_map3(g[0], a, b, [](auto gv, auto av, auto bv) {
          using T = decltype(gv);
          return bv == T(0) ? T(0) : gv * bv * std::pow(av, bv - T(1));
        });
      }
      if (needs[1]) {
        // d(a^b)/db = log(a) a^b; taken as 0 where a == 0 (the limit for b > 0).
        out[1] = broadcast_map3(g[0], a, y, [](auto gv, auto av, auto yv) {
          using T = decltype(gv);
          return av == T(0) ? T(0) : gv * std::log(av) * yv;
        });
      }
      return out;
    });
  }
  return y;
}

// ---- scalar forms: the scalar takes the tensor's dtype ----

namespace {

Tensor scalar_like(const char* op, const Tensor& a, double value) {
  check_defined(op, a);
  if (!is_floating(a.dtype()) && std::trunc(value) != value) {
    throw Error(std::string("ops.") + op + ": the scalar " + std::to_string(value) +
                " is not a whole number but the tensor is " + std::string(dtype_name(a.dtype())) +
                "; cast the tensor to a float dtype first.");
  }
  return Tensor::scalar(value, a.dtype());
}

}  // namespace

Tensor add(const Tensor& a, double b) { return add(a, scalar_like("add", a, b)); }
Tensor subtract(const Tensor& a, double b) { return subtract(a, scalar_like("subtract", a, b)); }
Tensor multiply(const Tensor& a, double b) { return multiply(a, scalar_like("multiply", a, b)); }
Tensor divide(const Tensor& a, double b) { return divide(a, scalar_like("divide", a, b)); }
Tensor maximum(const Tensor& a, double b) { return maximum(a, scalar_like("maximum", a, b)); }
Tensor minimum(const Tensor& a, double b) { return minimum(a, scalar_like("minimum", a, b)); }
Tensor power(const Tensor& a, double b) { return power(a, scalar_like("power", a, b)); }

}  // namespace keras::ops

namespace keras {

Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return ops::subtract(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return ops::multiply(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return ops::divide(a, b); }
Tensor operator-(const Tensor& x) { return ops::negative(x); }
Tensor operator+(const Tensor& a, double b) { return ops::add(a, b); }
Tensor operator-(const Tensor& a, double b) { return ops::subtract(a, b); }
Tensor operator*(const Tensor& a, double b) { return ops::multiply(a, b); }
Tensor operator/(const Tensor& a, double b) { return ops::divide(a, b); }
Tensor operator+(double a, const Tensor& b) { return ops::add(b, a); }
Tensor operator-(double a, const Tensor& b) {
  return ops::subtract(ops::scalar_like("subtract", b, a), b);
}
Tensor operator*(double a, const Tensor& b) { return ops::multiply(b, a); }
Tensor operator/(double a, const Tensor& b) {
  return ops::divide(ops::scalar_like("divide", b, a), b);
}

}  // namespace keras
