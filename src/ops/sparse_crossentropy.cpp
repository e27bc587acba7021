#include "ops/sparse_crossentropy.hpp"

#include "autodiff/tape.hpp"
#include "backend/cpu/vector_math.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops::detail {

namespace cpu = backend::cpu;

namespace {

template <class T>
struct LabelProbability {
  T sum;        // of the row
  T q;          // the label's value / sum
  T clipped;    // q clipped to [epsilon, 1 - epsilon]
  bool inside;  // epsilon <= q <= 1 - epsilon: clip passes the gradient, as ops::clip
};

template <class T>
LabelProbability<T> label_probability(const T* row, std::int64_t classes, std::int64_t label,
                                      double epsilon) {
  const T lo = static_cast<T>(epsilon), hi = static_cast<T>(1.0 - epsilon);
  T sum = 0;
  for (std::int64_t j = 0; j < classes; ++j) sum += row[j];
  const T q = row[label] / sum;
  return {sum, q, q > lo ? (q < hi ? q : hi) : lo, q >= lo && q <= hi};
}

}  // namespace

Tensor sparse_crossentropy_of_probabilities(const Tensor& p, const Tensor& labels, double epsilon) {
  const std::int64_t rows = p.shape()[0], classes = p.shape()[1];
  Tensor values = Tensor::empty(Shape{rows}, p.dtype());
  const std::int64_t* label = labels.data<std::int64_t>();
  visit_float(p.dtype(), "sparse_categorical_crossentropy", [&]<class T>() {
    const T* pp = p.data<T>();
    T* out = values.data<T>();
    for (std::int64_t r = 0; r < rows; ++r) {
      out[r] =
          -cpu::log_fast(label_probability(pp + r * classes, classes, label[r], epsilon).clipped);
    }
  });
  if (autodiff::is_recording()) {
    autodiff::record({p, labels}, {values},
                     [p, labels, epsilon](const autodiff::Grads& g, const autodiff::Needs&) {
                       const std::int64_t rows = p.shape()[0], classes = p.shape()[1];
                       Tensor dp = Tensor::empty(p.shape(), p.dtype());
                       const std::int64_t* label = labels.data<std::int64_t>();
                       visit_float(p.dtype(), "sparse_categorical_crossentropy", [&]<class T>() {
                         const T* pp = p.data<T>();
                         const T* pg = g[0].data<T>();
                         T* pd = dp.data<T>();
                         for (std::int64_t r = 0; r < rows; ++r) {
                           const LabelProbability<T> l =
                               label_probability(pp + r * classes, classes, label[r], epsilon);
                           const T dq = l.inside ? -pg[r] / l.clipped : T(0);
                           const T shared = -dq * l.q / l.sum;
                           T* drow = pd + r * classes;
                           for (std::int64_t j = 0; j < classes; ++j) drow[j] = shared;
                           drow[label[r]] = dq / l.sum + shared;
                         }
                       });
                       return autodiff::Grads{dp, Tensor()};
                     });
  }
  return values;
}

}  // namespace keras::ops::detail
