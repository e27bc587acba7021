#pragma once
// MaxPooling2D: the maximum of each window of pool_size (2, 2) (strides default
// to pool_size, so windows do not overlap). (batch, h, w, channels) -> (batch,
// new_h, new_w, channels); MaxPooling2D() halves height and width (rounding
// down). padding "valid" keeps whole windows only; "same" gives ceil(size /
// strides) windows, the extra padding after; padding never wins a maximum. No
// weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct MaxPooling2DOptions {
  IntTuple pool_size = {2, 2};
  IntTuple strides;  // empty (Keras' None): pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class MaxPooling2D : public Layer {
 public:
  explicit MaxPooling2D(MaxPooling2DOptions options = {});
};

}  // namespace keras::layers
