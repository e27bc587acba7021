#pragma once
// Regression metrics, as keras/src/metrics/regression_metrics.py: running
// weighted means of the loss functions of the same names.
#include <string>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

struct CosineSimilarityOptions {
  std::string name;  // "cosine_similarity"
  int axis = -1;
};

Metric MeanSquaredError(MetricOptions options = {});             // "mean_squared_error"
Metric MeanAbsoluteError(MetricOptions options = {});            // "mean_absolute_error"
Metric MeanAbsolutePercentageError(MetricOptions options = {});  // "mean_absolute_percentage_error"
Metric MeanSquaredLogarithmicError(MetricOptions options = {});  // "mean_squared_logarithmic_error"
// sqrt of the running mean of squared errors.
Metric RootMeanSquaredError(MetricOptions options = {});  // "root_mean_squared_error"
Metric CosineSimilarity(CosineSimilarityOptions options = {});
Metric LogCoshError(MetricOptions options = {});  // "logcosh"

}  // namespace keras::metrics
