// Hinge metrics, as keras/src/metrics/hinge_metrics.py.
#include "keras/metrics/hinge_metrics.hpp"

#include "keras/losses/hinge_losses.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

Metric Hinge(MetricOptions o) {
  return detail::mean_metric("Hinge", "hinge", o.name, "down", detail::unmasked(losses::hinge));
}

Metric SquaredHinge(MetricOptions o) {
  return detail::mean_metric("SquaredHinge", "squared_hinge", o.name, "down",
                             detail::unmasked(losses::squared_hinge));
}

Metric CategoricalHinge(MetricOptions o) {
  return detail::mean_metric("CategoricalHinge", "categorical_hinge", o.name, "down",
                             detail::unmasked(losses::categorical_hinge));
}

}  // namespace keras::metrics
