#pragma once
// Subtract: inputs[0] - inputs[1] for a list of exactly two inputs,
// Subtract()({a, b}). Non-batch shapes broadcast as for Add. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct SubtractOptions {
  std::string name;
  bool trainable = true;
};

class Subtract : public Layer {
 public:
  explicit Subtract(SubtractOptions options = {});
};

}  // namespace keras::layers
