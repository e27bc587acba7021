#pragma once
// GlobalMaxPooling1D: the maximum over the steps axis, (batch, steps,
// channels) -> (batch, channels), or (batch, 1, channels) with keepdims. No
// weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GlobalMaxPooling1DOptions {
  std::string data_format = "channels_last";  // or "channels_first"
  bool keepdims = false;                      // keep the spatial axes, with size 1
  std::string name;
  bool trainable = true;
};

class GlobalMaxPooling1D : public Layer {
 public:
  explicit GlobalMaxPooling1D(GlobalMaxPooling1DOptions options = {});
};

}  // namespace keras::layers
