#pragma once
// LayerNormalization: normalises each sample over `axis` (the last axis by
// default; several axes are normalised together) to mean 0 and variance 1,
// then scales by gamma and shifts by beta, which have the shape of the
// normalised axes: y = gamma * (x - mean) / sqrt(variance + epsilon) + beta.
// The same in training and inference. rms_scaling (deprecated in Keras)
// divides by sqrt(variance + epsilon) without centring and creates no beta.
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct LayerNormalizationOptions {
  std::vector<int> axis = {-1};
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  initializers::Initializer beta_initializer = "zeros";
  initializers::Initializer gamma_initializer = "ones";
  regularizers::Regularizer beta_regularizer;
  regularizers::Regularizer gamma_regularizer;
  constraints::Constraint beta_constraint;
  constraints::Constraint gamma_constraint;
  bool rms_scaling = false;
  std::string name;
  bool trainable = true;
};

class LayerNormalization : public Layer {
 public:
  explicit LayerNormalization(LayerNormalizationOptions options = {});
};

}  // namespace keras::layers
