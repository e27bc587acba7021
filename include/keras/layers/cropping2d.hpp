#pragma once
// Cropping2D: removes rows and columns at the edges of each image,
// (batch, h, w, channels) -> (batch, h - top - bottom, w - left - right,
// channels), cropping given as ZeroPadding2D's padding is: 1, {1, 2} or
// {{top, bottom}, {left, right}}. Cropping everything is an error. No weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct Cropping2DOptions {
  Padding2D cropping = 0;
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class Cropping2D : public Layer {
 public:
  // Throws keras::Error for a negative cropping.
  explicit Cropping2D(Cropping2DOptions options = {});
};

}  // namespace keras::layers
