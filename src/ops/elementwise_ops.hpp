#pragma once
// Building blocks for the element-wise ops: a float tensor mapped through an
// inlined element function, or two tensors of one shape zipped (a gradient and
// the op's input or output, in backward functions).
#include "backend/cpu/elementwise.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops::detail {

// y = f(x) element-wise for float32/float64 x; f is a generic lambda.
template <class F>
Tensor map_float(const char* op, const Tensor& x, std::int64_t cost, F f) {
  check_defined(op, x);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  visit_float(x.dtype(), op, [&]<class T>() {
    backend::cpu::map_unary(x.data<T>(), y.data<T>(), x.size(), cost, f);
  });
  return y;
}

// out = f(a, b) element-wise for two float tensors of the same shape and dtype.
template <class F>
Tensor zip_float(const Tensor& a, const Tensor& b, std::int64_t cost, F f) {
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  visit_float(a.dtype(), "gradient", [&]<class T>() {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* po = out.data<T>();
    backend::cpu::parallel_for(a.size(), cost, [&](std::int64_t i0, std::int64_t i1) {
      for (std::int64_t i = i0; i < i1; ++i) po[i] = f(pa[i], pb[i]);
    });
  });
  return out;
}

// out = f(a, b, c) element-wise for three float tensors of the same shape.
template <class F>
Tensor zip3_float(const Tensor& a, const Tensor& b, const Tensor& c, std::int64_t cost, F f) {
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  visit_float(a.dtype(), "gradient", [&]<class T>() {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    const T* pc = c.data<T>();
    T* po = out.data<T>();
    backend::cpu::parallel_for(a.size(), cost, [&](std::int64_t i0, std::int64_t i1) {
      for (std::int64_t i = i0; i < i1; ++i) po[i] = f(pa[i], pb[i], pc[i]);
    });
  });
  return out;
}

// Records a one-input, one-output element-wise op whose gradient is
// grad(dy, x, y) element-wise.
template <class G>
void record_unary(const Tensor& x, const Tensor& y, std::int64_t cost, G grad) {
  if (!autodiff::is_recording()) return;
  autodiff::record({x}, {y}, [x, y, cost, grad](const autodiff::Grads& g, const autodiff::Needs&) {
    return autodiff::Grads{zip3_float(g[0], x, y, cost, grad)};
  });
}

}  // namespace keras::ops::detail
