// Hinge losses, as keras/src/losses/losses.py.
#include "keras/losses/hinge_losses.hpp"

#include "keras/ops.hpp"
#include "losses/loss_utils.hpp"

namespace keras::losses {

namespace {

// Keras' convert_binary_labels_to_hinge: labels that are all 0 or 1 become
// -1 or 1; any other labels are used as they are.
Tensor hinge_labels(const Tensor& y_true) {
  const bool binary = detail::visit_values(y_true, [](const auto* data, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = static_cast<double>(data[i]);
      if (v != 0.0 && v != 1.0) return false;
    }
    return true;
  });
  return binary ? ops::subtract(ops::multiply(y_true, 2.0), 1.0) : y_true;
}

// max(1 - y_true * y_pred, 0)
Tensor margins(const Tensor& y_true, const Tensor& y_pred) {
  return ops::maximum(1.0 - ops::multiply(hinge_labels(y_true), y_pred), 0.0);
}

}  // namespace

Tensor hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("hinge", y_true, y_pred);
  return ops::mean(margins(t, p), {-1});
}

Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("squared_hinge", y_true, y_pred);
  return ops::mean(ops::square(margins(t, p)), {-1});
}

Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("categorical_hinge", y_true, y_pred);
  const Tensor pos = ops::sum(ops::multiply(t, p), {-1});
  const Tensor neg = ops::max(ops::multiply(1.0 - t, p), {-1});
  return ops::maximum(ops::add(ops::subtract(neg, pos), 1.0), 0.0);
}

Loss Hinge(LossOptions options) {
  return detail::function_loss("Hinge", "hinge", options, detail::unmasked(hinge));
}

Loss SquaredHinge(LossOptions options) {
  return detail::function_loss("SquaredHinge", "squared_hinge", options,
                               detail::unmasked(squared_hinge));
}

Loss CategoricalHinge(LossOptions options) {
  return detail::function_loss("CategoricalHinge", "categorical_hinge", options,
                               detail::unmasked(categorical_hinge));
}

}  // namespace keras::losses
