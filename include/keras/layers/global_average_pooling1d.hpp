#pragma once
// GlobalAveragePooling1D: the mean over the steps axis, (batch, steps,
// channels) -> (batch, channels), or (batch, 1, channels) with keepdims. With
// a mask (batch, steps) only the unmasked steps are averaged. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GlobalAveragePooling1DOptions {
  std::string data_format = "channels_last";  // or "channels_first"
  bool keepdims = false;                      // keep the spatial axes, with size 1
  std::string name;
  bool trainable = true;
};

class GlobalAveragePooling1D : public Layer {
 public:
  explicit GlobalAveragePooling1D(GlobalAveragePooling1DOptions options = {});
};

}  // namespace keras::layers
