#pragma once
// Probabilistic metrics, as keras/src/metrics/probabilistic_metrics.py:
// running weighted means of the loss functions of the same names.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct BinaryCrossentropyOptions {
  std::string name;  // "binary_crossentropy"
  bool from_logits = false;
  double label_smoothing = 0.0;
};

struct CategoricalCrossentropyOptions {
  std::string name;  // "categorical_crossentropy"
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
};

struct SparseCategoricalCrossentropyOptions {
  std::string name;  // "sparse_categorical_crossentropy"
  bool from_logits = false;
  std::optional<std::int64_t> ignore_class;
  int axis = -1;
};

Metric BinaryCrossentropy(BinaryCrossentropyOptions options = {});
Metric CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
Metric SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
Metric KLDivergence(MetricOptions options = {});  // "kl_divergence"
Metric Poisson(MetricOptions options = {});       // "poisson"

}  // namespace keras::metrics
