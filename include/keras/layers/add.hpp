#pragma once
// Add: the element-wise sum of a list of inputs, Add()({a, b}). Non-batch
// shapes broadcast as in numpy (a size-1 dimension stretches; an input of
// lower rank gets size-1 axes after the batch axis). No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct AddOptions {
  std::string name;
  bool trainable = true;
};

class Add : public Layer {
 public:
  explicit Add(AddOptions options = {});
};

}  // namespace keras::layers
