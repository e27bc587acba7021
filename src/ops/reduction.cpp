// Reductions: sum, mean, max, min, var, logsumexp, argmax, argmin.
#include <cmath>
#include <limits>

#include "backend/cpu/reduce.hpp"
#include "backend/cpu/vector_math.hpp"
#include "ops/elementwise_ops.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

// The output shape of a reduction, with reduced axes kept as 1 or dropped.
Shape reduced_shape(const Shape& in, unsigned mask, bool keepdims) {
  Shape out;
  for (int i = 0; i < in.rank(); ++i) {
    if (!((mask >> i) & 1u)) {
      out.push_back(in[i]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  return out;
}

template <class R>
Tensor reduce_raw(const char* op, const Tensor& x, unsigned mask, bool keepdims) {
  Tensor y = Tensor::empty(reduced_shape(x.shape(), mask, keepdims), x.dtype());
  const cpu::ReducePlan plan = cpu::plan_reduce(x.shape(), mask);
  visit_numeric(x.dtype(), op, [&]<class T>() { cpu::reduce<R>(plan, x.data<T>(), y.data<T>()); });
  return y;
}

// g (the gradient of a reduction's output) spread back over x's shape.
Tensor spread(const Tensor& g, const Shape& x_shape, unsigned mask) {
  return broadcast_to(g.reshape(reduced_shape(x_shape, mask, true)), x_shape);
}

Tensor numeric_input(const char* op, const Tensor& x) {
  check_defined(op, x);
  // numpy sums booleans as integers.
  return x.dtype() == DType::bool_ ? x.astype(DType::int64) : x;
}

template <class R>
Tensor extremum(const char* op, const Tensor& x0, const std::vector<int>& axes, bool keepdims) {
  const Tensor x = numeric_input(op, x0);
  const unsigned mask = axes_mask(op, axes, x.rank());
  for (int i = 0; i < x.rank(); ++i) {
    if (((mask >> i) & 1u) && x.shape()[i] == 0) {
      throw Error(std::string("ops.") + op + " of an empty axis (shape " +
                  x.shape().to_string() + ") has no identity; the axis must not be empty.");
    }
  }
  Tensor y = reduce_raw<R>(op, x, mask, keepdims);
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    autodiff::record({x}, {y}, [x, y, mask](const Grads& g, const Needs&) {
      // The gradient goes to the extreme elements, shared equally among ties.
      const Tensor hit = cast(equal(x, spread(y, x.shape(), mask)), x.dtype());
      const Tensor count = spread(sum(hit, reduced_axes(mask, x.rank()), true), x.shape(), mask);
      return Grads{divide(multiply(hit, spread(g[0], x.shape(), mask)), count)};
    });
  }
  return y;
}

}  // namespace

namespace {

Tensor sum_masked(const Tensor& x, unsigned mask, bool keepdims) {
  Tensor y = reduce_raw<cpu::SumReducer>("sum", x, mask, keepdims);
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    const Shape shape = x.shape();
    autodiff::record({x}, {y}, [shape, mask](const Grads& g, const Needs&) {
      return Grads{spread(g[0], shape, mask)};
    });
  }
  return y;
}

}  // namespace

Tensor sum(const Tensor& x0, const std::vector<int>& axes, bool keepdims) {
  const Tensor x = numeric_input("sum", x0);
  return sum_masked(x, axes_mask("sum", axes, x.rank()), keepdims);
}

Tensor detail::sum_over_mask(const Tensor& x0, unsigned mask, bool keepdims) {
  return sum_masked(numeric_input("sum", x0), mask, keepdims);
}

Tensor detail::sum_axis(const Tensor& x0, int axis, bool keepdims) {
  const Tensor x = numeric_input("sum", x0);
  return sum_masked(x, 1u << normalize_axis("sum", axis, x.rank()), keepdims);
}

Tensor mean(const Tensor& x0, const std::vector<int>& axes, bool keepdims) {
  check_defined("mean", x0);
  // Keras gives a float mean of integers.
  const Tensor x = is_floating(x0.dtype()) ? x0 : x0.astype(DType::float32);
  const unsigned mask = axes_mask("mean", axes, x.rank());
  std::int64_t count = 1;
  for (int i = 0; i < x.rank(); ++i) {
    if ((mask >> i) & 1u) count *= x.shape()[i];
  }
  Tensor s;
  {
    autodiff::PauseRecording pause;  // recorded below as one op
    s = reduce_raw<cpu::SumReducer>("mean", x, mask, keepdims);
  }
  const double scale = count > 0 ? 1.0 / static_cast<double>(count)
                                 : std::numeric_limits<double>::quiet_NaN();
  Tensor y = map_float("mean", s, 1, [scale](auto v) { return v * decltype(v)(scale); });
  if (autodiff::is_recording()) {
    const Shape shape = x.shape();
    autodiff::record({x}, {y}, [shape, mask, scale](const Grads& g, const Needs&) {
      return Grads{multiply(spread(g[0], shape, mask), scale)};
    });
  }
  return y;
}

Tensor max(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return extremum<cpu::MaxReducer>("max", x, axes, keepdims);
}

Tensor min(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  return extremum<cpu::MinReducer>("min", x, axes, keepdims);
}

// Population variance (ddof 0), as keras.ops.var.
Tensor var(const Tensor& x0, const std::vector<int>& axes, bool keepdims) {
  check_defined("var", x0);
  const Tensor x = is_floating(x0.dtype()) ? x0 : x0.astype(DType::float32);
  const Tensor centered = subtract(x, mean(x, axes, true));
  return mean(square(centered), axes, keepdims);
}

Tensor logsumexp(const Tensor& x, const std::vector<int>& axes, bool keepdims) {
  check_defined("logsumexp", x);
  const unsigned mask = axes_mask("logsumexp", axes, x.rank());
  Tensor y;
  {
    autodiff::PauseRecording pause;  // recorded below as one op
    // Shift by the maximum (0 where it is infinite) so exp cannot overflow.
    Tensor m = reduce_raw<cpu::MaxReducer>("logsumexp", x, mask, true);
    m = map_float("logsumexp", m, 1, [](auto v) { return std::isfinite(v) ? v : decltype(v)(0); });
    const Tensor s = reduce_raw<cpu::SumReducer>("logsumexp", exp(subtract(x, m)), mask, true);
    y = add(log(s), m);
    if (!keepdims) y = y.reshape(reduced_shape(x.shape(), mask, false));
  }
  if (autodiff::is_recording()) {
    autodiff::record({x}, {y}, [x, y, mask](const Grads& g, const Needs&) {
      // d logsumexp / dx = exp(x - logsumexp) (the softmax over the axes).
      const Tensor w = exp(subtract(x, spread(y, x.shape(), mask)));
      return Grads{multiply(w, spread(g[0], x.shape(), mask))};
    });
  }
  return y;
}

namespace {

template <bool kMax>
Tensor arg_extremum(const char* op, const Tensor& x0, int axis) {
  const Tensor x = numeric_input(op, x0);
  if (x.rank() == 0) throw Error(std::string("ops.") + op + " needs a tensor of rank >= 1.");
  const int ax = normalize_axis(op, axis, x.rank());
  const AxisSplit s = split_at_axis(x.shape(), ax);
  if (s.n == 0) {
    throw Error(std::string("ops.") + op + " of an empty axis (shape " + x.shape().to_string() +
                ") is undefined.");
  }
  Shape out_shape;
  for (int i = 0; i < x.rank(); ++i) {
    if (i != ax) out_shape.push_back(x.shape()[i]);
  }
  Tensor y = Tensor::empty(out_shape, DType::int64);
  std::int64_t* out = y.data<std::int64_t>();
  visit_numeric(x.dtype(), op, [&]<class T>() {
    const T* px = x.data<T>();
    for (std::int64_t o = 0; o < s.outer; ++o) {
      for (std::int64_t j = 0; j < s.inner; ++j) {
        const T* p = px + o * s.n * s.inner + j;
        std::int64_t best = 0;
        T best_value = p[0];
        for (std::int64_t i = 1; i < s.n; ++i) {
          const T v = p[i * s.inner];
          // The first extreme wins ties; a NaN, once found, is kept (numpy).
          bool better = kMax ? v > best_value : v < best_value;
          if constexpr (std::is_floating_point_v<T>) {
            better = (better || (v != v)) && !(best_value != best_value);
          }
          if (better) {
            best = i;
            best_value = v;
          }
        }
        out[o * s.inner + j] = best;
      }
    }
  });
  return y;
}

}  // namespace

Tensor argmax(const Tensor& x, int axis) { return arg_extremum<true>("argmax", x, axis); }
Tensor argmin(const Tensor& x, int axis) { return arg_extremum<false>("argmin", x, axis); }

}  // namespace keras::ops
