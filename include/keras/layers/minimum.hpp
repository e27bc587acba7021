#pragma once
// Minimum: the element-wise minimum of a list of inputs, Minimum()({a, b}).
// Non-batch shapes broadcast as for Add. With masks, a masked position of one
// input takes the other inputs' value. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct MinimumOptions {
  std::string name;
  bool trainable = true;
};

class Minimum : public Layer {
 public:
  explicit Minimum(MinimumOptions options = {});
};

}  // namespace keras::layers
