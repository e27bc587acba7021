#pragma once
// Helpers shared by the metric files: small double arrays with numpy
// broadcasting, Keras' rank fix on shapes, mask folding, the running weighted
// mean, and the MeanMetricWrapper implementation. Internal to the library.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"

namespace keras::metrics::detail {

// A small row-major array of doubles (per-sample values, weights, masks).
struct Array {
  Shape shape;
  std::vector<double> data;
};

Array to_array(const Tensor& x);
std::optional<Array> optional_array(const Tensor& x);  // nullopt when undefined

// Keras' squeeze_or_expand_to_same_rank on shapes: the data layout of a
// squeezed or expanded trailing 1 does not change.
std::pair<Shape, Shape> squeeze_or_expand_shapes(const Shape& a, const Shape& b,
                                                 bool expand_rank_1 = true);
// A weight shape that starts target's but is shorter gets trailing 1s, so a
// (batch,) weight weights whole samples (tf.keras' rule; Keras 3 fails).
Shape align_weight_shape(const Shape& weight, const Shape& target);
// numpy broadcast of `a` to `target`; throws keras::Error naming `what`.
std::vector<double> broadcast_to(const Array& a, const Shape& target, const std::string& what);
// Element-wise a * b with numpy broadcasting.
Array multiply(const Array& a, const Array& b, const std::string& what);

// Keras' apply_mask with reduction "sum": the mask as 0/1 weights times sample_weight.
std::optional<Array> apply_mask(std::optional<Array> sample_weight, const Tensor& mask);

// Keras' Mean state: total and count of the per-sample reduced values
// (reduce_to_samplewise_values), accumulated in double.
class MeanAccumulator {
 public:
  void update(Array values, const std::optional<Array>& sample_weight);
  // The unweighted update, read straight from the tensor.
  void update(const Tensor& values);
  // The update weighted by a tensor of the values' shape (a mask without
  // sample_weight), read straight from the tensors: the same sums as
  // update(to_array(values), to_array(weight)).
  void update(const Tensor& values, const Tensor& weight);
  void reset() { total_ = count_ = 0.0; }
  double result() const { return count_ == 0.0 ? 0.0 : total_ / count_; }
  double total() const { return total_; }
  double count() const { return count_; }

 private:
  void add_unweighted(const Shape& shape, double sum);

  double total_ = 0.0;
  double count_ = 0.0;
};

// Per-prediction values and the mask the function sets (ignore_class).
using ValuesFunction = std::function<losses::LossValues(const Tensor&, const Tensor&)>;
inline ValuesFunction unmasked(std::function<Tensor(const Tensor&, const Tensor&)> fn) {
  return [fn = std::move(fn)](const Tensor& t, const Tensor& p) {
    return losses::LossValues{fn(t, p), {}};
  };
}

// A MeanMetricWrapper: name empty means default_name; transform (optional)
// maps the mean to the result (RootMeanSquaredError's sqrt).
// own_config writes the class' own get_config fields (after name and dtype).
using OwnConfig = std::function<void(Config& config)>;
Metric mean_metric(std::string class_name, const std::string& default_name, const std::string& name,
                   std::string direction, ValuesFunction fn,
                   std::function<double(double)> transform = nullptr,
                   OwnConfig own_config = nullptr);

// A float32 scalar tensor.
Tensor scalar_result(double value);

}  // namespace keras::metrics::detail
