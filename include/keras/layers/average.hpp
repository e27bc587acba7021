#pragma once
// Average: the element-wise mean of a list of inputs, Average()({a, b}).
// Non-batch shapes broadcast as for Add. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct AverageOptions {
  std::string name;
  bool trainable = true;
};

class Average : public Layer {
 public:
  explicit Average(AverageOptions options = {});
};

}  // namespace keras::layers
