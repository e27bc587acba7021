// Comparisons, logical ops, where and cast. Comparisons and logical ops give
// bool tensors and are not differentiable.
#include "backend/cpu/elementwise.hpp"
#include "ops/elementwise_ops.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

template <class F>
Tensor compare(const char* op, const Tensor& a0, const Tensor& b0, F f) {
  check_defined(op, a0);
  check_defined(op, b0);
  Tensor a = a0, b = b0;
  if (a.dtype() != b.dtype()) {
    // Comparing across dtypes is well defined: compare as double.
    if (a.dtype() != DType::float64) a = a.astype(DType::float64);
    if (b.dtype() != DType::float64) b = b.astype(DType::float64);
  }
  const Shape out_shape = broadcast_shapes(op, a.shape(), b.shape());
  Tensor out = Tensor::empty(out_shape, DType::bool_);
  const auto plan = cpu::plan_broadcast<2>({a.shape(), b.shape()}, out_shape);
  visit_all(a.dtype(), [&]<class T>() {
    cpu::map_binary(plan, a.data<T>(), b.data<T>(), out.data<bool>(), 1,
                    [f](T x, T y) -> bool { return f(x, y); });
  });
  return out;
}

Tensor as_bool(const Tensor& x) { return x.dtype() == DType::bool_ ? x : x.astype(DType::bool_); }

}  // namespace

Tensor equal(const Tensor& a, const Tensor& b) {
  return compare("equal", a, b, [](auto x, auto y) { return x == y; });
}
Tensor not_equal(const Tensor& a, const Tensor& b) {
  return compare("not_equal", a, b, [](auto x, auto y) { return x != y; });
}
Tensor greater(const Tensor& a, const Tensor& b) {
  return compare("greater", a, b, [](auto x, auto y) { return x > y; });
}
Tensor greater_equal(const Tensor& a, const Tensor& b) {
  return compare("greater_equal", a, b, [](auto x, auto y) { return x >= y; });
}
Tensor less(const Tensor& a, const Tensor& b) {
  return compare("less", a, b, [](auto x, auto y) { return x < y; });
}
Tensor less_equal(const Tensor& a, const Tensor& b) {
  return compare("less_equal", a, b, [](auto x, auto y) { return x <= y; });
}
Tensor logical_and(const Tensor& a, const Tensor& b) {
  check_defined("logical_and", a);
  check_defined("logical_and", b);
  return compare("logical_and", as_bool(a), as_bool(b), [](bool x, bool y) { return x && y; });
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
  check_defined("logical_or", a);
  check_defined("logical_or", b);
  return compare("logical_or", as_bool(a), as_bool(b), [](bool x, bool y) { return x || y; });
}
Tensor logical_not(const Tensor& x) {
  check_defined("logical_not", x);
  Tensor b = as_bool(x);
  Tensor out = Tensor::empty(b.shape(), DType::bool_);
  cpu::map_unary(b.data<bool>(), out.data<bool>(), b.size(), 1, [](bool v) { return !v; });
  return out;
}

Tensor where(const Tensor& condition, const Tensor& a0, const Tensor& b0) {
  check_defined("where", condition);
  check_defined("where", a0);
  check_defined("where", b0);
  Tensor a = a0, b = b0;
  unify_dtypes("where", a, b);
  const Tensor c = as_bool(condition);
  const Shape out_shape =
      broadcast_shapes("where", c.shape(), broadcast_shapes("where", a.shape(), b.shape()));
  Tensor out = Tensor::empty(out_shape, a.dtype());
  const auto plan = cpu::plan_broadcast<3>({c.shape(), a.shape(), b.shape()}, out_shape);
  visit_all(a.dtype(), [&]<class T>() {
    cpu::map_ternary(plan, c.data<bool>(), a.data<T>(), b.data<T>(), out.data<T>(), 1,
                     [](bool cv, T av, T bv) { return cv ? av : bv; });
  });
  if (autodiff::is_recording() && is_floating(out.dtype())) {
    autodiff::record({c, a, b}, {out}, [c](const Grads& g, const Needs& needs) {
      Grads grads(3);
      const Tensor zero = Tensor::scalar(0.0, g[0].dtype());
      if (needs[1]) grads[1] = where(c, g[0], zero);
      if (needs[2]) grads[2] = where(c, zero, g[0]);
      return grads;
    });
  }
  return out;
}

Tensor cast(const Tensor& x, DType dtype) {
  check_defined("cast", x);
  if (x.dtype() == dtype) return x;
  Tensor y = x.astype(dtype);
  if (autodiff::is_recording() && is_floating(x.dtype()) && is_floating(dtype)) {
    const DType from = x.dtype();
    autodiff::record({x}, {y}, [from](const Grads& g, const Needs&) {
      return Grads{g[0].astype(from)};
    });
  }
  return y;
}

}  // namespace keras::ops
