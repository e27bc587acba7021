#pragma once
// ActivityRegularization: passes its input through unchanged and adds
// (l1 * sum(|x|) + l2 * sum(x^2)) / batch size to the layer's losses, which
// fit and evaluate add to the model's loss (Keras' activity regularizer
// L1L2(l1, l2)). No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct ActivityRegularizationOptions {
  std::string name;
  bool trainable = true;
};

class ActivityRegularization : public Layer {
 public:
  // Throws keras::Error unless both factors are non-negative numbers.
  explicit ActivityRegularization(double l1 = 0.0, double l2 = 0.0,
                                  ActivityRegularizationOptions options = {});
};

}  // namespace keras::layers
