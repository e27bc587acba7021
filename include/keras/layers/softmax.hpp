#pragma once
// Softmax: exp(x) / sum(exp(x)) over the given axis (or axes, jointly). With
// a mask, masked positions get probability 0. No weights.
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct SoftmaxOptions {
  std::vector<int> axis = {-1};  // one axis, or several normalised together
  std::string name;
  bool trainable = true;
};

class Softmax : public Layer {
 public:
  explicit Softmax(SoftmaxOptions options = {});
};

}  // namespace keras::layers
