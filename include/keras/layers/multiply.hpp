#pragma once
// Multiply: the element-wise product of a list of inputs, Multiply()({a, b}).
// Non-batch shapes broadcast as for Add. With masks (one flag per position of
// each input), a masked position counts as 1 in the product, and positions
// masked in every input give 0. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct MultiplyOptions {
  std::string name;
  bool trainable = true;
};

class Multiply : public Layer {
 public:
  explicit Multiply(MultiplyOptions options = {});
};

}  // namespace keras::layers
