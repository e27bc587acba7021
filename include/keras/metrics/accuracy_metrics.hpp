#pragma once
// Accuracy metrics, as keras/src/metrics/accuracy_metrics.py: each function
// gives 1.0 or 0.0 per prediction (float32), and each metric is the running
// weighted mean of those. Ties in an argmax go to the first index, as numpy.
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

// y_true == y_pred (after the rank fix)
Tensor accuracy(const Tensor& y_true, const Tensor& y_pred);
// y_true == (y_pred > threshold)
Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold = 0.5);
// argmax(y_true, -1) == argmax(y_pred, -1)
Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
// y_true == argmax(y_pred, -1), for integer labels of y_pred's shape without
// the last axis (or with a trailing 1).
Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
// argmax(y_true, -1) is among the k largest predictions (ties count in favour).
Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int k = 5);
// the integer label y_true is among the k largest predictions.
Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int k = 5);

struct BinaryAccuracyOptions {
  std::string name;  // "binary_accuracy"
  double threshold = 0.5;
};

struct TopKCategoricalAccuracyOptions {
  int k = 5;
  std::string name;  // "top_k_categorical_accuracy"
};

struct SparseTopKCategoricalAccuracyOptions {
  int k = 5;
  std::string name;  // "sparse_top_k_categorical_accuracy"
};

Metric Accuracy(MetricOptions options = {});  // "accuracy"
Metric BinaryAccuracy(BinaryAccuracyOptions options = {});
Metric CategoricalAccuracy(MetricOptions options = {});        // "categorical_accuracy"
Metric SparseCategoricalAccuracy(MetricOptions options = {});  // "sparse_categorical_accuracy"
Metric TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions options = {});
Metric SparseTopKCategoricalAccuracy(SparseTopKCategoricalAccuracyOptions options = {});

}  // namespace keras::metrics
