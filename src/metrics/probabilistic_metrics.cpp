// Probabilistic metrics, as keras/src/metrics/probabilistic_metrics.py: the
// running mean of the loss functions (computed with keras::ops, outside any
// reduction or weighting of the loss).
#include "keras/metrics/probabilistic_metrics.hpp"

#include "keras/losses/probabilistic_losses.hpp"
#include "losses/loss_utils.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

Metric BinaryCrossentropy(BinaryCrossentropyOptions o) {
  return detail::mean_metric("BinaryCrossentropy", "binary_crossentropy", o.name, "down",
                             detail::unmasked([o](const Tensor& t, const Tensor& p) {
                               return losses::binary_crossentropy(t, p, o.from_logits,
                                                                  o.label_smoothing);
                             }));
}

Metric CategoricalCrossentropy(CategoricalCrossentropyOptions o) {
  return detail::mean_metric("CategoricalCrossentropy", "categorical_crossentropy", o.name, "down",
                             detail::unmasked([o](const Tensor& t, const Tensor& p) {
                               return losses::categorical_crossentropy(t, p, o.from_logits,
                                                                       o.label_smoothing, o.axis);
                             }));
}

Metric SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o) {
  return detail::mean_metric("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy",
                             o.name, "down", [o](const Tensor& t, const Tensor& p) {
                               return losses::detail::sparse_categorical_crossentropy_values(
                                   t, p, o.from_logits, o.ignore_class, o.axis);
                             });
}

Metric KLDivergence(MetricOptions o) {
  return detail::mean_metric("KLDivergence", "kl_divergence", o.name, "down",
                             detail::unmasked(losses::kl_divergence));
}

Metric Poisson(MetricOptions o) {
  return detail::mean_metric("Poisson", "poisson", o.name, "down",
                             detail::unmasked(losses::poisson));
}

}  // namespace keras::metrics
