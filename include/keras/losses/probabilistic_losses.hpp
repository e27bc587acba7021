#pragma once
// Probabilistic losses, as keras/src/losses/losses.py and the backend's nn.py:
// crossentropies, KL divergence and Poisson. Probabilities are clipped to
// [1e-7, 1 - 1e-7] before their log, as Keras does; from_logits works on the
// logits directly (log_sigmoid / log_softmax), which is more stable.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/losses/loss.hpp"

namespace keras::losses {

// mean over axis of -(y log p + (1 - y) log(1 - p)); labels are smoothed first:
// y (1 - label_smoothing) + 0.5 label_smoothing. y_true and y_pred have one shape.
Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits = false,
                           double label_smoothing = 0.0, int axis = -1);
// -sum(y log p, axis) with p = y_pred renormalised to sum to 1 along axis, then
// clipped (or log_softmax of logits); labels are smoothed with
// label_smoothing / number of classes (y_true's last dimension, as Keras).
Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                bool from_logits = false, double label_smoothing = 0.0,
                                int axis = -1);
// categorical_crossentropy of one-hot(y_true): integer class indices (any
// dtype; floats are truncated as Keras casts them) of y_pred's shape without
// the class axis, or with a trailing 1. Positions whose label is ignore_class
// give 0. A label outside [0, classes) throws keras::Error naming it.
Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                       bool from_logits = false,
                                       std::optional<std::int64_t> ignore_class = std::nullopt,
                                       int axis = -1);
// sum(t log(t / p), axis=-1) with t, p clipped to [1e-7, 1]
Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred);
// mean(y_pred - y_true log(y_pred + 1e-7), axis=-1)
Tensor poisson(const Tensor& y_true, const Tensor& y_pred);

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name;  // "binary_crossentropy"
  std::string dtype;
};

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  int axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name;  // "categorical_crossentropy"
  std::string dtype;
};

// Keras' argument order: reduction comes before axis here.
struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<std::int64_t> ignore_class;
  std::string reduction = "sum_over_batch_size";
  int axis = -1;
  std::string name;  // "sparse_categorical_crossentropy"
  std::string dtype;
};

Loss BinaryCrossentropy(BinaryCrossentropyOptions options = {});
Loss CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
// Positions with label ignore_class are masked out of the reduction as well.
Loss SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
Loss KLDivergence(LossOptions options = {});  // "kl_divergence"
Loss Poisson(LossOptions options = {});       // "poisson"

}  // namespace keras::losses
