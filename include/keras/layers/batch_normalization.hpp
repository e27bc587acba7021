#pragma once
// BatchNormalization: normalises each channel (the values along `axis`) to
// mean 0 and variance 1, then scales by gamma and shifts by beta:
//   y = gamma * (x - mean) / sqrt(variance + epsilon) + beta.
// Training (a call with training=true on a trainable layer) uses the mean and
// biased variance of the batch, over every axis but `axis`, and updates
//   moving_mean = moving_mean * momentum + mean * (1 - momentum)
// (and moving_variance alike); inference uses the moving statistics. Weights,
// each of shape (channels,): gamma, beta (trainable), moving_mean,
// moving_variance (non-trainable): 4C parameters, 2C of them non-trainable.
// A frozen layer (trainable = false) always runs in inference mode, as Keras'.
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

// Keras' renorm_clipping: bounds of the batch renormalization correction
// (r in [rmin, rmax], d in [-dmax, dmax]); unset means unbounded.
struct RenormClipping {
  std::optional<double> rmax;
  std::optional<double> rmin;
  std::optional<double> dmax;
};

struct BatchNormalizationOptions {
  int axis = -1;
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;  // create and add beta
  bool scale = true;   // create and multiply by gamma
  initializers::Initializer beta_initializer = "zeros";
  initializers::Initializer gamma_initializer = "ones";
  initializers::Initializer moving_mean_initializer = "zeros";
  initializers::Initializer moving_variance_initializer = "ones";
  regularizers::Regularizer beta_regularizer;
  regularizers::Regularizer gamma_regularizer;
  constraints::Constraint beta_constraint;
  constraints::Constraint gamma_constraint;
  // Batch renormalization (Ioffe 2017): adds the non-trainable weights
  // moving_stddev, renorm_mean and renorm_stddev.
  bool renorm = false;
  std::optional<RenormClipping> renorm_clipping;
  double renorm_momentum = 0.99;
  // Keras synchronises the batch statistics across devices (TensorFlow only);
  // a single kerascpp process has one device, so this changes nothing.
  bool synchronized = false;
  std::string name;
  bool trainable = true;
};

class BatchNormalization : public Layer {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
};

}  // namespace keras::layers
