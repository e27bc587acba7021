// Regression losses, as keras/src/losses/losses.py.
#include "keras/losses/regression_losses.hpp"

#include <cmath>

#include "keras/ops.hpp"
#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"

namespace keras::losses {

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("mean_squared_error", y_true, y_pred);
  return ops::mean(ops::square(ops::subtract(t, p)), {-1});
}

Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("mean_absolute_error", y_true, y_pred);
  return ops::mean(ops::abs(ops::subtract(t, p)), {-1});
}

Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("mean_absolute_percentage_error", y_true, y_pred);
  const Tensor diff =
      ops::abs(ops::divide(ops::subtract(t, p), ops::maximum(ops::abs(t), kEpsilon)));
  return ops::multiply(ops::mean(diff, {-1}), 100.0);
}

Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("mean_squared_logarithmic_error", y_true, y_pred);
  const Tensor first_log = ops::log(ops::add(ops::maximum(p, kEpsilon), 1.0));
  const Tensor second_log = ops::log(ops::add(ops::maximum(t, kEpsilon), 1.0));
  return ops::mean(ops::square(ops::subtract(first_log, second_log)), {-1});
}

Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta) {
  auto [t, p] = detail::same_shape_inputs("huber", y_true, y_pred);
  const Tensor error = ops::subtract(p, t);
  const Tensor abs_error = ops::abs(error);
  const Tensor quadratic = ops::multiply(ops::square(error), 0.5);
  const Tensor linear = ops::subtract(ops::multiply(abs_error, delta), 0.5 * delta * delta);
  const Tensor small = ops::less_equal(abs_error, Tensor::scalar(delta, abs_error.dtype()));
  return ops::mean(ops::where(small, quadratic, linear), {-1});
}

Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("log_cosh", y_true, y_pred);
  // log(cosh(x)) = x + softplus(-2x) - log(2), which does not overflow.
  const Tensor x = ops::subtract(p, t);
  const Tensor value =
      ops::subtract(ops::add(x, ops::softplus(ops::multiply(x, -2.0))), std::log(2.0));
  return ops::mean(value, {-1});
}

Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int axis) {
  auto [t, p] = detail::same_shape_inputs("cosine_similarity", y_true, y_pred);
  if (p.rank() == 0) {
    throw Error("cosine_similarity: y_true and y_pred must have rank >= 1, got shape ().");
  }
  // Keras' normalize: x * min(rsqrt(sum(x^2)), 1 / epsilon), so a zero vector stays 0.
  auto normalize = [axis](const Tensor& x) {
    const Tensor inv_norm =
        ops::minimum(ops::rsqrt(ops::sum(ops::square(x), {axis}, true)), 1.0 / kEpsilon);
    return ops::multiply(x, inv_norm);
  };
  return ops::negative(ops::sum(ops::multiply(normalize(t), normalize(p)), {axis}));
}

Loss MeanSquaredError(LossOptions options) {
  return detail::function_loss("MeanSquaredError", "mean_squared_error", options,
                               detail::unmasked(mean_squared_error));
}

Loss MeanAbsoluteError(LossOptions options) {
  return detail::function_loss("MeanAbsoluteError", "mean_absolute_error", options,
                               detail::unmasked(mean_absolute_error));
}

Loss MeanAbsolutePercentageError(LossOptions options) {
  return detail::function_loss("MeanAbsolutePercentageError", "mean_absolute_percentage_error",
                               options, detail::unmasked(mean_absolute_percentage_error));
}

Loss MeanSquaredLogarithmicError(LossOptions options) {
  return detail::function_loss("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error",
                               options, detail::unmasked(mean_squared_logarithmic_error));
}

Loss Huber(HuberOptions options) {
  const double delta = options.delta;
  return detail::function_loss(
      "Huber", "huber_loss", detail::common_options(options),
      detail::unmasked([delta](const Tensor& t, const Tensor& p) { return huber(t, p, delta); }),
      // Keras writes no delta (and loses it on load); kerascpp writes one that
      // is not the default, which Keras' from_config reads.
      [delta](Config& c) {
        if (delta != 1.0) c.set("delta", delta);
      });
}

Loss LogCosh(LossOptions options) {
  return detail::function_loss("LogCosh", "log_cosh", options, detail::unmasked(log_cosh));
}

Loss CosineSimilarity(CosineSimilarityOptions options) {
  const int axis = options.axis;
  return detail::function_loss("CosineSimilarity", "cosine_similarity",
                               detail::common_options(options),
                               detail::unmasked([axis](const Tensor& t, const Tensor& p) {
                                 return cosine_similarity(t, p, axis);
                               }),
                               // As Huber's delta: Keras writes no axis.
                               [axis](Config& c) {
                                 if (axis != -1) c.set("axis", axis);
                               });
}

}  // namespace keras::losses
