// The normalization ops: each runs its fused kernel and records one backward
// function that runs the fused backward kernels.
#include "ops/normalization.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "keras/ops.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

using namespace keras::ops::detail;
using autodiff::Grads;
using autodiff::Needs;
namespace cpu = keras::backend::cpu;

namespace {

void check_block(const char* op, const Tensor& t, std::int64_t size, DType dtype,
                 const char* what) {
  if (!t.defined()) return;
  if (t.dtype() != dtype) {
    throw Error(std::string("ops.") + op + ": " + what + " has dtype " +
                std::string(dtype_name(t.dtype())) + " but x has " +
                std::string(dtype_name(dtype)) + ".");
  }
  if (t.size() != size) {
    throw Error(std::string("ops.") + op + ": " + what + " has " + std::to_string(t.size()) +
                " values (shape " + t.shape().to_string() + "), expected " + std::to_string(size) +
                ".");
  }
}

void check_x(const char* op, const Tensor& x, const NormShape& s) {
  check_defined(op, x);
  if (!is_floating(x.dtype())) throw_dtype(op, x.dtype(), "float32 or float64");
  if (x.size() != s.size()) {
    throw Error(std::string("ops.") + op + ": x of shape " + x.shape().to_string() +
                " does not fill the normalization layout (" + std::to_string(s.size()) +
                " values).");
  }
}

template <class T>
const T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

template <class T>
T* output_or_null(Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

Shape flat(std::int64_t n) { return Shape{n}; }

}  // namespace

Normalized normalize_with_moments(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                                  const NormShape& s, double epsilon) {
  const char* op = "normalize_with_moments";
  check_x(op, x, s);
  check_block(op, gamma, s.num_params(), x.dtype(), "gamma");
  check_block(op, beta, s.num_params(), x.dtype(), "beta");
  Normalized out;
  out.y = Tensor::empty(x.shape(), x.dtype());
  out.mean = Tensor::empty(flat(s.num_stats()), x.dtype());
  out.variance = Tensor::empty(flat(s.num_stats()), x.dtype());
  visit_float(x.dtype(), op, [&]<class T>() {
    cpu::norm_forward(x.data<T>(), s, data_or_null<T>(gamma), data_or_null<T>(beta),
                      static_cast<T>(epsilon), out.y.data<T>(), out.mean.data<T>(),
                      out.variance.data<T>());
  });
  if (autodiff::is_recording()) {
    const Tensor mean = out.mean, variance = out.variance;
    autodiff::record(
        {x, gamma, beta}, {out.y, out.mean, out.variance},
        [x, gamma, beta, mean, variance, s, epsilon](const Grads& g, const Needs& needs) {
          Grads result(3);
          visit_float(x.dtype(), "normalize_with_moments", [&]<class T>() {
            if (needs[0]) result[0] = Tensor::empty(x.shape(), x.dtype());
            if (needs[1]) result[1] = Tensor::empty(gamma.shape(), x.dtype());
            if (needs[2]) result[2] = Tensor::empty(beta.shape(), x.dtype());
            cpu::norm_backward(x.data<T>(), g[0].data<T>(), s, mean.data<T>(), variance.data<T>(),
                               data_or_null<T>(gamma), static_cast<T>(epsilon), g[1].data<T>(),
                               g[2].data<T>(), output_or_null<T>(result[0]),
                               output_or_null<T>(result[1]), output_or_null<T>(result[2]));
          });
          return result;
        });
  }
  return out;
}

Tensor normalize_with_statistics(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                 const Tensor& gamma, const Tensor& beta, const NormShape& s,
                                 double epsilon) {
  const char* op = "normalize_with_statistics";
  check_x(op, x, s);
  check_defined(op, mean);
  check_defined(op, variance);
  check_block(op, mean, s.num_stats(), x.dtype(), "mean");
  check_block(op, variance, s.num_stats(), x.dtype(), "variance");
  check_block(op, gamma, s.num_params(), x.dtype(), "gamma");
  check_block(op, beta, s.num_params(), x.dtype(), "beta");
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  visit_float(x.dtype(), op, [&]<class T>() {
    cpu::norm_apply(x.data<T>(), s, mean.data<T>(), variance.data<T>(), data_or_null<T>(gamma),
                    data_or_null<T>(beta), static_cast<T>(epsilon), y.data<T>());
  });
  if (autodiff::is_recording()) {
    autodiff::record(
        {x, mean, variance, gamma, beta}, {y},
        [x, mean, variance, gamma, beta, s, epsilon](const Grads& g, const Needs& needs) {
          Grads result(5);
          const std::int64_t stats = s.num_stats();
          visit_float(x.dtype(), "normalize_with_statistics", [&]<class T>() {
            const T eps = static_cast<T>(epsilon);
            const T* dy = g[0].data<T>();
            if (needs[0]) {
              result[0] = Tensor::empty(x.shape(), x.dtype());
              cpu::norm_backward_fixed_dx(dy, s, variance.data<T>(), data_or_null<T>(gamma), eps,
                                          result[0].data<T>());
            }
            if (!(needs[1] || needs[2] || needs[3] || needs[4])) return;
            Tensor s1 = Tensor::empty(flat(stats), x.dtype());
            Tensor s2 = Tensor::empty(flat(stats), x.dtype());
            if (needs[3]) result[3] = Tensor::empty(gamma.shape(), x.dtype());
            if (needs[4]) result[4] = Tensor::empty(beta.shape(), x.dtype());
            cpu::norm_backward_sums(x.data<T>(), dy, s, mean.data<T>(), variance.data<T>(),
                                    data_or_null<T>(gamma), eps, s1.data<T>(), s2.data<T>(),
                                    output_or_null<T>(result[3]), output_or_null<T>(result[4]));
            // y = (x - mean) * rstd * gamma + beta: dmean = -rstd * s1 and
            // dvariance = -rstd^3 / 2 * s2.
            if (needs[1]) result[1] = Tensor::empty(mean.shape(), x.dtype());
            if (needs[2]) result[2] = Tensor::empty(variance.shape(), x.dtype());
            for (std::int64_t i = 0; i < stats; ++i) {
              const double r = 1.0 / std::sqrt(static_cast<double>(variance.data<T>()[i]) + eps);
              if (needs[1]) result[1].data<T>()[i] = static_cast<T>(-r * s1.data<T>()[i]);
              if (needs[2]) {
                result[2].data<T>()[i] = static_cast<T>(-0.5 * r * r * r * s2.data<T>()[i]);
              }
            }
          });
          return result;
        });
  }
  return y;
}

Tensor l2_normalize(const Tensor& x, const std::vector<int>& axes, double epsilon) {
  const char* op = "normalize";
  check_defined(op, x);
  if (!is_floating(x.dtype())) throw_dtype(op, x.dtype(), "float32 or float64");
  const Tensor v = x.rank() == 0 ? ops::reshape(x, Shape{1}) : x;  // as Keras: a scalar is (1,)
  const unsigned mask = axes_mask(op, axes, v.rank());
  const std::vector<int> reduced = reduced_axes(mask, v.rank());
  const bool neighbours = reduced.back() - reduced.front() + 1 == static_cast<int>(reduced.size());
  if (!neighbours) {
    const Tensor inv =
        ops::minimum(ops::rsqrt(ops::sum(ops::square(v), reduced, true)), 1.0 / epsilon);
    return ops::multiply(v, inv);
  }
  std::int64_t outer = 1, n = 1, inner = 1;
  for (int i = 0; i < v.rank(); ++i) {
    std::int64_t& part = i < reduced.front() ? outer : i <= reduced.back() ? n : inner;
    part *= v.shape()[i];
  }
  Tensor y = Tensor::empty(v.shape(), v.dtype());
  Tensor inv = Tensor::empty(Shape{outer * inner}, v.dtype());
  visit_float(v.dtype(), op, [&]<class T>() {
    cpu::l2_normalize(v.data<T>(), outer, n, inner, static_cast<T>(epsilon), y.data<T>(),
                      inv.data<T>());
  });
  if (autodiff::is_recording()) {
    autodiff::record({v}, {y}, [v, inv, outer, n, inner, epsilon](const Grads& g, const Needs&) {
      Tensor dx = Tensor::empty(v.shape(), v.dtype());
      visit_float(v.dtype(), "normalize", [&]<class T>() {
        cpu::l2_normalize_backward(v.data<T>(), g[0].data<T>(), inv.data<T>(), outer, n, inner,
                                   static_cast<T>(epsilon), dx.data<T>());
      });
      return Grads{dx};
    });
  }
  return y;
}

}  // namespace keras::ops
