#include "ops/sparse_crossentropy.hpp"

#include "autodiff/tape.hpp"
#include "backend/cpu/vector_math.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops::detail {

namespace cpu = backend::cpu;

Tensor sparse_crossentropy_of_probabilities(const Tensor& p, const Tensor& labels,
                                            double epsilon) {
  const std::int64_t rows = p.shape()[0], classes = p.shape()[1];
  Tensor values = Tensor::empty(Shape{rows}, p.dtype());
  const std::int64_t* label = labels.data<std::int64_t>();
  visit_float(p.dtype(), "sparse_categorical_crossentropy", [&]<class T>() {
    const T lo = static_cast<T>(epsilon), hi = static_cast<T>(1.0 - epsilon);
    const T* pp = p.data<T>();
    T* out = values.data<T>();
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* row = pp + r * classes;
      T s = 0;
      for (std::int64_t j = 0; j < classes; ++j) s += row[j];
      const T q = row[label[r]] / s;
      const T clipped = q > lo ? (q < hi ? q : hi) : lo;
      out[r] = -cpu::log_fast(clipped);
    }
  });
  if (autodiff::is_recording()) {
    autodiff::record({p, labels}, {values}, [p, labels, epsilon](const autodiff::Grads& g,
                                                                 const autodiff::Needs&) {
      const std::int64_t rows = p.shape()[0], classes = p.shape()[1];
      Tensor dp = Tensor::empty(p.shape(), p.dtype());
      const std::int64_t* label = labels.data<std::int64_t>();
      visit_float(p.dtype(), "sparse_categorical_crossentropy", [&]<class T>() {
        const T lo = static_cast<T>(epsilon), hi = static_cast<T>(1.0 - epsilon);
        const T* pp = p.data<T>();
        const T* pg = g[0].data<T>();
        T* pd = dp.data<T>();
        for (std::int64_t r = 0; r < rows; ++r) {
          const T* row = pp + r * classes;
          T* drow = pd + r * classes;
          T s = 0;
          for (std::int64_t j = 0; j < classes; ++j) s += row[j];
          const T q = row[label[r]] / s;
          const T clipped = q > lo ? (q < hi ? q : hi) : lo;
          // clip passes the gradient where lo <= q <= hi, as ops::clip.
          const T dq = q >= lo && q <= hi ? -pg[r] / clipped : T(0);
          const T shared = -dq * q / s;
          for (std::int64_t j = 0; j < classes; ++j) drow[j] = shared;
          drow[label[r]] = dq / s + shared;
        }
      });
      return autodiff::Grads{dp, Tensor()};
    });
  }
  return values;
}

}  // namespace keras::ops::detail
