#pragma once
// Maximum: the element-wise maximum of a list of inputs, Maximum()({a, b}).
// Non-batch shapes broadcast as for Add. With masks, a masked position of one
// input takes the other inputs' value. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct MaximumOptions {
  std::string name;
  bool trainable = true;
};

class Maximum : public Layer {
 public:
  explicit Maximum(MaximumOptions options = {});
};

}  // namespace keras::layers
