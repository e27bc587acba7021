#pragma once
// Regression losses, as keras/src/losses/losses.py: each free function returns
// the per-sample values (the mean over the last axis unless said otherwise),
// each class-style factory a Loss with Keras' defaults. y_true is converted to
// y_pred's dtype; after Keras' rank fix ((batch,) against (batch, 1)) both must
// have the same shape, else keras::Error names the loss and both shapes.
#include <string>

#include "keras/losses/loss.hpp"

namespace keras::losses {

// mean((y_true - y_pred)^2, axis=-1)
Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred);
// mean(|y_true - y_pred|, axis=-1)
Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred);
// 100 * mean(|(y_true - y_pred) / max(|y_true|, epsilon)|, axis=-1)
Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred);
// mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2, axis=-1)
Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred);
// mean of 0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2 (e = y_pred - y_true)
Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta = 1.0);
// mean(x + softplus(-2x) - log 2, axis=-1) with x = y_pred - y_true: log(cosh(x)), stably
Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred);
// -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis): -1 for equal directions
Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, int axis = -1);

struct HuberOptions {
  double delta = 1.0;
  std::string reduction = "sum_over_batch_size";
  std::string name;  // "huber_loss"
  std::string dtype;
};

struct CosineSimilarityOptions {
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name;  // "cosine_similarity"
  std::string dtype;
};

Loss MeanSquaredError(LossOptions options = {});             // "mean_squared_error"
Loss MeanAbsoluteError(LossOptions options = {});            // "mean_absolute_error"
Loss MeanAbsolutePercentageError(LossOptions options = {});  // "mean_absolute_percentage_error"
Loss MeanSquaredLogarithmicError(LossOptions options = {});  // "mean_squared_logarithmic_error"
Loss Huber(HuberOptions options = {});
Loss LogCosh(LossOptions options = {});  // "log_cosh"
Loss CosineSimilarity(CosineSimilarityOptions options = {});

}  // namespace keras::losses
