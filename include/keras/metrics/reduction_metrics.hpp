#pragma once
// Mean and MeanMetricWrapper, as keras/src/metrics/reduction_metrics.py.
// Mean keeps a weighted running mean of values: the progress bar's "loss" is a
// Mean updated with each batch's loss weighted by the batch size. Values of
// rank > 1 are first averaged per sample (over the axes the weight does not
// cover); weights multiply the per-sample values and count as samples.
#include <functional>
#include <memory>
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct MeanOptions {
  std::string name;  // "mean"
};

class Mean {
 public:
  explicit Mean(MeanOptions options = {});

  // values of any shape; sample_weight (optional) of values' shape, a
  // leading part of it, or broadcastable to it (Keras' reduce_to_samplewise_values).
  void update_state(const Tensor& values, const Tensor& sample_weight = {}) const;
  void update_state(double value, double sample_weight = 1.0) const;
  // total / count (0 before any update), float32.
  Tensor result() const;
  double result_value() const;
  void reset_state() const;
  const std::string& name() const;
  double total() const;
  double count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// A metric that is the mean of a function's per-sample values, as
// keras.metrics.MeanMetricWrapper (masks and weights as Mean takes them).
// direction: "up", "down" or "".
using MetricFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;
Metric MeanMetricWrapper(MetricFunction fn, const std::string& name,
                         const std::string& direction = "");

}  // namespace keras::metrics
