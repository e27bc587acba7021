#pragma once
// MaxPooling1D: the maximum of each window of pool_size (strides default to
// pool_size, so windows do not overlap). (batch, steps, channels) -> (batch,
// new_steps, channels). padding "valid" keeps whole windows only; "same" gives
// ceil(size / strides) windows, the extra padding after; padding never wins a
// maximum. No weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct MaxPooling1DOptions {
  IntTuple pool_size = 2;
  IntTuple strides;  // empty (Keras' None): pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class MaxPooling1D : public Layer {
 public:
  explicit MaxPooling1D(MaxPooling1DOptions options = {});
};

}  // namespace keras::layers
