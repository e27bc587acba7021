#pragma once
// GlobalAveragePooling2D: the mean over height and width, (batch, h, w,
// channels) -> (batch, channels), or (batch, 1, 1, channels) with keepdims.
// No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GlobalAveragePooling2DOptions {
  std::string data_format = "channels_last";  // or "channels_first"
  bool keepdims = false;                      // keep the spatial axes, with size 1
  std::string name;
  bool trainable = true;
};

class GlobalAveragePooling2D : public Layer {
 public:
  explicit GlobalAveragePooling2D(GlobalAveragePooling2DOptions options = {});
};

}  // namespace keras::layers
