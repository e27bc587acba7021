#pragma once
// AveragePooling2D: the mean of each window of pool_size (2, 2) (strides
// default to pool_size, so windows do not overlap). (batch, h, w, channels) ->
// (batch, new_h, new_w, channels). padding "valid" keeps whole windows only;
// "same" gives ceil(size / strides) windows, the extra padding after, left out
// of each window's count (as Keras). No weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct AveragePooling2DOptions {
  IntTuple strides;  // empty (Keras' None): pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class AveragePooling2D : public Layer {
 public:
  // pool_size is required, as in Keras (MaxPooling's defaults to 2).
  explicit AveragePooling2D(IntTuple pool_size, AveragePooling2DOptions options = {});
};

}  // namespace keras::layers
