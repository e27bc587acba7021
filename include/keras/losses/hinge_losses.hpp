#pragma once
// Hinge losses, as keras/src/losses/losses.py, for labels in {-1, 1}. When
// every label of y_true is 0 or 1, Keras converts them to -1 / 1 first
// (2 y - 1); hinge and squared_hinge do the same.
#include "keras/losses/loss.hpp"

namespace keras::losses {

// mean(max(1 - y_true * y_pred, 0), axis=-1)
Tensor hinge(const Tensor& y_true, const Tensor& y_pred);
// mean(max(1 - y_true * y_pred, 0)^2, axis=-1)
Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred);
// max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last
// axis, for one-hot y_true (no label conversion).
Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred);

Loss Hinge(LossOptions options = {});             // "hinge"
Loss SquaredHinge(LossOptions options = {});      // "squared_hinge"
Loss CategoricalHinge(LossOptions options = {});  // "categorical_hinge"

}  // namespace keras::losses
