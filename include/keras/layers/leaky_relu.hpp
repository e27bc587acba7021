#pragma once
// LeakyReLU: x if x >= 0, else negative_slope * x. Keras 3's default slope is
// 0.3 (the function keras.activations.leaky_relu defaults to 0.2). No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct LeakyReLUOptions {
  double negative_slope = 0.3;
  std::string name;
  bool trainable = true;
};

class LeakyReLU : public Layer {
 public:
  // Throws keras::Error when negative_slope is negative.
  explicit LeakyReLU(LeakyReLUOptions options = {});
};

}  // namespace keras::layers
