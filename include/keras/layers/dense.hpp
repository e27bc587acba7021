#pragma once
// Dense: activation(dot(x, kernel) + bias), contracting the LAST axis of x
// only. On an input of shape (None, 20, 5) Dense(10) gives (None, 20, 10) with
// kernel (5, 10) and bias (10,): 60 parameters, the same kernel applied at
// each of the 20 positions.
#include <cstdint>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct DenseOptions {
  std::string activation = "linear";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  // Keras' None by default; a name ("l2") or regularizers::L2(0.001), ...
  regularizers::Regularizer kernel_regularizer;
  regularizers::Regularizer bias_regularizer;
  regularizers::Regularizer activity_regularizer;
  constraints::Constraint kernel_constraint;
  constraints::Constraint bias_constraint;
  std::string name;
  bool trainable = true;
};

class Dense : public Layer {
 public:
  explicit Dense(std::int64_t units, DenseOptions options = {});
};

}  // namespace keras::layers
