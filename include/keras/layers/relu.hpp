#pragma once
// ReLU with Keras' options:
//   f(x) = max_value                    if x >= max_value
//        = x                            if threshold <= x < max_value
//        = negative_slope * (x - threshold)  otherwise.
// With the defaults it is max(x, 0). No weights.
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct ReLUOptions {
  std::optional<double> max_value;  // None: no upper bound
  double negative_slope = 0.0;
  double threshold = 0.0;
  std::string name;
  bool trainable = true;
};

class ReLU : public Layer {
 public:
  // Throws keras::Error when max_value, negative_slope or threshold is negative.
  explicit ReLU(ReLUOptions options = {});
};

}  // namespace keras::layers
