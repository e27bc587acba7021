#pragma once
// Hinge metrics, as keras/src/metrics/hinge_metrics.py: running weighted means
// of the hinge loss functions (0/1 labels converted to -1/1 as the losses do).
#include "keras/metrics/metric.hpp"

namespace keras::metrics {

Metric Hinge(MetricOptions options = {});             // "hinge"
Metric SquaredHinge(MetricOptions options = {});      // "squared_hinge"
Metric CategoricalHinge(MetricOptions options = {});  // "categorical_hinge"

}  // namespace keras::metrics
