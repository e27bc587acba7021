#pragma once
// AveragePooling1D: the mean of each window of pool_size (strides default to
// pool_size, so windows do not overlap). (batch, steps, channels) -> (batch,
// new_steps, channels). padding "valid" keeps whole windows only; "same" gives
// ceil(size / strides) windows, the extra padding after, left out of each
// window's count (as Keras). No weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct AveragePooling1DOptions {
  IntTuple strides;  // empty (Keras' None): pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class AveragePooling1D : public Layer {
 public:
  // pool_size is required, as in Keras (MaxPooling's defaults to 2).
  explicit AveragePooling1D(IntTuple pool_size, AveragePooling1DOptions options = {});
};

}  // namespace keras::layers
