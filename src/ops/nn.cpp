// Activations (keras.ops.nn): the element-wise ones through the function
// objects of activation_functions.hpp, then glu, sparsemax, softmax and
// log_softmax, which work along an axis.
#include <algorithm>
#include <vector>

#include "backend/cpu/softmax.hpp"
#include "ops/activation_functions.hpp"
#include "ops/elementwise_ops.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace act = activation_functions;
namespace cpu = backend::cpu;

template <class A>
Tensor apply(const char* op, const Tensor& x, A a) {
  Tensor y = map_float(op, x, A::cost, [a](auto v) { return a.forward(v); });
  record_unary(x, y, A::cost, [a](auto g, auto xv, auto yv) { return a.backward(g, xv, yv); });
  return y;
}

}  // namespace

Tensor relu(const Tensor& x) { return apply("relu", x, act::Relu{}); }
Tensor relu6(const Tensor& x) { return apply("relu6", x, act::Relu6{}); }
Tensor elu(const Tensor& x, double alpha) { return apply("elu", x, act::Elu{alpha}); }
Tensor selu(const Tensor& x) { return apply("selu", x, act::Selu{}); }
Tensor celu(const Tensor& x, double alpha) { return apply("celu", x, act::Celu{alpha}); }
Tensor gelu(const Tensor& x, bool approximate) {
  return apply("gelu", x, act::Gelu{approximate});
}
Tensor silu(const Tensor& x) { return apply("silu", x, act::Silu{}); }
Tensor hard_silu(const Tensor& x) { return apply("hard_silu", x, act::HardSilu{}); }
Tensor sigmoid(const Tensor& x) { return apply("sigmoid", x, act::Sigmoid{}); }
Tensor hard_sigmoid(const Tensor& x) { return apply("hard_sigmoid", x, act::HardSigmoid{}); }
Tensor log_sigmoid(const Tensor& x) { return apply("log_sigmoid", x, act::LogSigmoid{}); }
Tensor softplus(const Tensor& x) { return apply("softplus", x, act::Softplus{}); }
Tensor softsign(const Tensor& x) { return apply("softsign", x, act::Softsign{}); }
Tensor soft_shrink(const Tensor& x, double threshold) {
  return apply("soft_shrink", x, act::SoftShrink{threshold});
}
Tensor hard_shrink(const Tensor& x, double threshold) {
  return apply("hard_shrink", x, act::HardShrink{threshold});
}
Tensor tanh_shrink(const Tensor& x) { return apply("tanh_shrink", x, act::TanhShrink{}); }
Tensor hard_tanh(const Tensor& x) { return apply("hard_tanh", x, act::HardTanh{}); }
Tensor squareplus(const Tensor& x, double b) { return apply("squareplus", x, act::Squareplus{b}); }
Tensor sparse_plus(const Tensor& x) { return apply("sparse_plus", x, act::SparsePlus{}); }
Tensor sparse_sigmoid(const Tensor& x) {
  return apply("sparse_sigmoid", x, act::SparseSigmoid{});
}
Tensor mish(const Tensor& x) { return apply("mish", x, act::Mish{}); }
Tensor leaky_relu(const Tensor& x, double negative_slope) {
  return apply("leaky_relu", x, act::LeakyRelu{negative_slope});
}
Tensor threshold(const Tensor& x, double threshold, double default_value) {
  return apply("threshold", x, act::Threshold{threshold, default_value});
}

// a * sigmoid(b), a and b the two halves of x along axis.
Tensor glu(const Tensor& x, int axis) {
  check_defined("glu", x);
  const int ax = normalize_axis("glu", axis, x.rank());
  const std::int64_t n = x.shape()[ax];
  if (n % 2 != 0) {
    throw Error("ops.glu splits axis " + std::to_string(axis) + " in two halves, but it has odd "
                "size " + std::to_string(n) + " in shape " + x.shape().to_string() + ".");
  }
  return multiply(slice_axis(x, ax, 0, n / 2), sigmoid(slice_axis(x, ax, n / 2, n / 2)));
}

namespace {

template <bool kLog>
Tensor softmax_op(const char* op, const Tensor& x, int axis) {
  check_defined(op, x);
  if (x.rank() == 0) throw Error(std::string("ops.") + op + " needs a tensor of rank >= 1.");
  const int ax = normalize_axis(op, axis, x.rank());
  const AxisSplit s = split_at_axis(x.shape(), ax);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  visit_float(x.dtype(), op, [&]<class T>() {
    if constexpr (kLog) {
      cpu::log_softmax(x.data<T>(), y.data<T>(), s.outer, s.n, s.inner);
    } else {
      cpu::softmax(x.data<T>(), y.data<T>(), s.outer, s.n, s.inner);
    }
  });
  if (autodiff::is_recording()) {
    autodiff::record({x}, {y}, [y, s](const Grads& g, const Needs&) {
      Tensor dx = Tensor::empty(y.shape(), y.dtype());
      visit_float(y.dtype(), "softmax", [&]<class T>() {
        if constexpr (kLog) {
          cpu::log_softmax_backward(y.data<T>(), g[0].data<T>(), dx.data<T>(), s.outer, s.n,
                                    s.inner);
        } else {
          cpu::softmax_backward(y.data<T>(), g[0].data<T>(), dx.data<T>(), s.outer, s.n,
                                s.inner);
        }
      });
      return Grads{dx};
    });
  }
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int axis) { return softmax_op<false>("softmax", x, axis); }
Tensor log_softmax(const Tensor& x, int axis) { return softmax_op<true>("log_softmax", x, axis); }

// Sparsemax, computed as Keras 3 computes it: with z sorted in decreasing
// order, cumsum_i = z_1 + ... + z_i and the support S = {i : z_i > (cumsum_i - 1) / i}
// of size k, tau = (sum over S of cumsum_i - 1) / k and y = max(x - tau, 0).
// (Martins & Astudillo's tau is (cumsum_k - 1) / k; Keras' sum of the
// cumulative sums equals it only when k == 1, so its outputs need not sum to 1.
// kerascpp reproduces Keras' numbers.)
Tensor sparsemax(const Tensor& x, int axis) {
  check_defined("sparsemax", x);
  if (x.rank() == 0) throw Error("ops.sparsemax needs a tensor of rank >= 1.");
  const int ax = normalize_axis("sparsemax", axis, x.rank());
  const AxisSplit s = split_at_axis(x.shape(), ax);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  // For the gradient: dtau/dx_m = (k - rank_m + 1) / k for the m ranked in the
  // top k (rank 1 = largest), 0 for the others.
  Tensor dtau = Tensor::zeros(x.shape(), x.dtype());
  visit_float(x.dtype(), "sparsemax", [&]<class T>() {
    const T* px = x.data<T>();
    T* py = y.data<T>();
    T* pw = dtau.data<T>();
    std::vector<std::int64_t> order(static_cast<std::size_t>(s.n));
    for (std::int64_t o = 0; o < s.outer; ++o) {
      for (std::int64_t j = 0; j < s.inner; ++j) {
        const std::int64_t base = o * s.n * s.inner + j;
        auto at = [&](std::int64_t i) { return base + i * s.inner; };
        for (std::int64_t i = 0; i < s.n; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::int64_t a, std::int64_t b) { return px[at(a)] > px[at(b)]; });
        T cumsum = 0, sum_of_cumsums = 0;
        std::int64_t k = 0;
        for (std::int64_t i = 0; i < s.n; ++i) {
          const T z = px[at(order[i])];
          cumsum += z;
          if (z - (cumsum - T(1)) / T(i + 1) > T(0)) {
            ++k;
            sum_of_cumsums += cumsum;
          }
        }
        const T tau = (sum_of_cumsums - T(1)) / T(k);
        for (std::int64_t i = 0; i < s.n; ++i) {
          const T v = px[at(i)] - tau;
          py[at(i)] = v > T(0) ? v : T(0);
        }
        for (std::int64_t r = 0; r < k; ++r) pw[at(order[r])] = T(k - r) / T(k);
      }
    }
  });
  if (autodiff::is_recording()) {
    autodiff::record({x}, {y}, [y, dtau, s](const Grads& g, const Needs&) {
      // dx_m = [y_m > 0] g_m - dtau/dx_m * sum over {y > 0} of g.
      Tensor dx = Tensor::empty(y.shape(), y.dtype());
      visit_float(y.dtype(), "sparsemax", [&]<class T>() {
        const T* py = y.data<T>();
        const T* pg = g[0].data<T>();
        const T* pw = dtau.data<T>();
        T* pd = dx.data<T>();
        for (std::int64_t o = 0; o < s.outer; ++o) {
          for (std::int64_t j = 0; j < s.inner; ++j) {
            const std::int64_t base = o * s.n * s.inner + j;
            T active = 0;
            for (std::int64_t i = 0; i < s.n; ++i) {
              const std::int64_t at = base + i * s.inner;
              if (py[at] > T(0)) active += pg[at];
            }
            for (std::int64_t i = 0; i < s.n; ++i) {
              const std::int64_t at = base + i * s.inner;
              pd[at] = (py[at] > T(0) ? pg[at] : T(0)) - pw[at] * active;
            }
          }
        }
      });
      return Grads{dx};
    });
  }
  return y;
}

}  // namespace keras::ops
