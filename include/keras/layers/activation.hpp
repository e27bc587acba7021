#pragma once
// Activation: applies a Keras activation by name ("relu", "softmax", "gelu",
// ...) element-wise; the output has the input's shape. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct ActivationOptions {
  std::string name;
  bool trainable = true;
};

class Activation : public Layer {
 public:
  // Throws keras::Error listing the known names when activation is unknown.
  explicit Activation(const std::string& activation, ActivationOptions options = {});
};

}  // namespace keras::layers
