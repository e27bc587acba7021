// Regression metrics, as keras/src/metrics/regression_metrics.py.
#include "keras/metrics/regression_metrics.hpp"

#include <cmath>

#include "keras/losses/regression_losses.hpp"
#include "keras/ops.hpp"
#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

namespace {

// f(y_true, y_pred) per element, averaged over the last axis when
// mean_last_axis (the loss function), in a plain loop: the squared and
// absolute errors run on every step without temporaries of y_pred's size.
template <class F>
Tensor elementwise(const char* fn, const Tensor& y_true, const Tensor& y_pred, bool mean_last_axis,
                   F f) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error(std::string(fn) + ": y_true and y_pred must be defined tensors.");
  }
  auto [true_shape, pred_shape] = detail::squeeze_or_expand_shapes(y_true.shape(), y_pred.shape());
  if (true_shape != pred_shape) {
    losses::detail::throw_shape_mismatch(fn, y_true.shape(), y_pred.shape(),
                                         "y_true and y_pred must have the same shape");
  }
  if (mean_last_axis && pred_shape.rank() == 0) {
    throw Error(std::string(fn) + ": y_true and y_pred must have rank >= 1, got shape ().");
  }
  const std::int64_t inner = mean_last_axis ? pred_shape[-1] : 1;
  const std::int64_t rows = inner == 0 ? 0 : y_pred.size() / inner;
  std::vector<float> out(static_cast<std::size_t>(rows));
  losses::detail::visit_values(y_pred, [&](const auto* p, std::int64_t) {
    using P = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
    losses::detail::visit_values(y_true, [&](const auto* t, std::int64_t) {
      for (std::int64_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (std::int64_t j = r * inner; j < (r + 1) * inner; ++j) {
          sum += f(static_cast<double>(static_cast<P>(t[j])), static_cast<double>(p[j]));
        }
        out[static_cast<std::size_t>(r)] = static_cast<float>(sum / static_cast<double>(inner));
      }
    });
  });
  return Tensor(mean_last_axis ? pred_shape.slice(0, -1) : pred_shape, std::move(out));
}

Tensor squared_errors(const Tensor& t, const Tensor& p) {
  return elementwise("mean_squared_error", t, p, true,
                     [](double a, double b) { return (a - b) * (a - b); });
}

Tensor absolute_errors(const Tensor& t, const Tensor& p) {
  return elementwise("mean_absolute_error", t, p, true,
                     [](double a, double b) { return std::fabs(a - b); });
}

}  // namespace

Metric MeanSquaredError(MetricOptions o) {
  return detail::mean_metric("MeanSquaredError", "mean_squared_error", o.name, "down",
                             detail::unmasked(squared_errors));
}

Metric MeanAbsoluteError(MetricOptions o) {
  return detail::mean_metric("MeanAbsoluteError", "mean_absolute_error", o.name, "down",
                             detail::unmasked(absolute_errors));
}

Metric MeanAbsolutePercentageError(MetricOptions o) {
  return detail::mean_metric("MeanAbsolutePercentageError", "mean_absolute_percentage_error",
                             o.name, "down",
                             detail::unmasked(losses::mean_absolute_percentage_error));
}

Metric MeanSquaredLogarithmicError(MetricOptions o) {
  return detail::mean_metric("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error",
                             o.name, "down",
                             detail::unmasked(losses::mean_squared_logarithmic_error));
}

Metric RootMeanSquaredError(MetricOptions o) {
  // The mean of the squared errors of every element, then its square root.
  return detail::mean_metric("RootMeanSquaredError", "root_mean_squared_error", o.name, "down",
                             detail::unmasked([](const Tensor& t, const Tensor& p) {
                               return elementwise(
                                   "root_mean_squared_error", t, p, false,
                                   [](double a, double b) { return (a - b) * (a - b); });
                             }),
                             [](double mean) { return std::sqrt(mean); });
}

Metric CosineSimilarity(CosineSimilarityOptions o) {
  // The metric is the similarity itself: larger is better.
  const int axis = o.axis;
  return detail::mean_metric("CosineSimilarity", "cosine_similarity", o.name, "up",
                             detail::unmasked([axis](const Tensor& t, const Tensor& p) {
                               return ops::negative(losses::cosine_similarity(t, p, axis));
                             }),
                             // Keras writes no axis (and loses it on load);
                             // Keras' from_config reads one.
                             nullptr, [axis](Config& c) {
                               if (axis != -1) c.set("axis", axis);
                             });
}

Metric LogCoshError(MetricOptions o) {
  return detail::mean_metric("LogCoshError", "logcosh", o.name, "down",
                             detail::unmasked(losses::log_cosh));
}

}  // namespace keras::metrics
