#pragma once
// Concatenate: joins a list of inputs along one axis (the last by default),
// Concatenate()({a, b}). All other dimensions must match. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct ConcatenateOptions {
  int axis = -1;
  std::string name;
  bool trainable = true;
};

class Concatenate : public Layer {
 public:
  explicit Concatenate(ConcatenateOptions options = {});
};

}  // namespace keras::layers
