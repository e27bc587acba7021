// Probabilistic metrics, as keras/src/metrics/probabilistic_metrics.py: the
// running mean of the loss functions (computed with keras::ops, outside any
// reduction or weighting of the loss).
#include "keras/metrics/probabilistic_metrics.hpp"

#include "keras/losses/probabilistic_losses.hpp"
#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

namespace {

// Keras' label_smoothing defaults to the int 0, which its config keeps.
void set_label_smoothing(Config& c, double label_smoothing) {
  if (label_smoothing == 0.0) {
    c.set("label_smoothing", 0);
  } else {
    c.set("label_smoothing", label_smoothing);
  }
}

}  // namespace

Metric BinaryCrossentropy(BinaryCrossentropyOptions o) {
  return detail::mean_metric("BinaryCrossentropy", "binary_crossentropy", o.name, "down",
                             detail::unmasked([o](const Tensor& t, const Tensor& p) {
                               return losses::binary_crossentropy(t, p, o.from_logits,
                                                                  o.label_smoothing);
                             }),
                             nullptr, [o](Config& c) {
                               c.set("from_logits", o.from_logits);
                               set_label_smoothing(c, o.label_smoothing);
                             });
}

Metric CategoricalCrossentropy(CategoricalCrossentropyOptions o) {
  return detail::mean_metric("CategoricalCrossentropy", "categorical_crossentropy", o.name, "down",
                             detail::unmasked([o](const Tensor& t, const Tensor& p) {
                               return losses::categorical_crossentropy(t, p, o.from_logits,
                                                                       o.label_smoothing, o.axis);
                             }),
                             nullptr, [o](Config& c) {
                               c.set("from_logits", o.from_logits);
                               set_label_smoothing(c, o.label_smoothing);
                               c.set("axis", o.axis);
                             });
}

Metric SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o) {
  return detail::mean_metric(
      "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", o.name, "down",
      [o](const Tensor& t, const Tensor& p) {
        return losses::detail::sparse_categorical_crossentropy_values(t, p, o.from_logits,
                                                                      o.ignore_class, o.axis);
      },
      nullptr,
      [o](Config& c) {
        c.set("from_logits", o.from_logits);
        if (o.ignore_class) {
          c.set("ignore_class", *o.ignore_class);
        } else {
          c.set_null("ignore_class");
        }
        c.set("axis", o.axis);
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
