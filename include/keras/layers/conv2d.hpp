#pragma once
// Conv2D: a 2-D convolution (cross-correlation, as Keras):
// (batch, height, width, channels) -> (batch, new_height, new_width, filters)
// with kernel (kernel_h, kernel_w, channels / groups, filters) and bias
// (filters,), then the activation. Conv2D(32, 3) on (None, 28, 28, 1) gives
// (None, 26, 26, 32) with 3*3*1*32 + 32 = 320 parameters. padding "valid" (no
// padding) or "same" (output ceil(size / strides); when the total padding is
// odd the extra row/column goes after, as TensorFlow and JAX).
#include <cstdint>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct Conv2DOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first": (batch, channels, h, w)
  IntTuple dilation_rate = 1;
  std::int64_t groups = 1;  // channels and filters split into this many independent groups
  std::string activation = "linear";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  // Keras' None by default; a name ("l2") or regularizers::L2(0.001), ...
  regularizers::Regularizer kernel_regularizer;
  regularizers::Regularizer bias_regularizer;
  regularizers::Regularizer activity_regularizer;
  constraints::Constraint kernel_constraint;
  constraints::Constraint bias_constraint;
  std::string name;
  bool trainable = true;
};

class Conv2D : public Layer {
 public:
  // Throws keras::Error as Keras does for invalid arguments (see Conv1D).
  Conv2D(std::int64_t filters, IntTuple kernel_size, Conv2DOptions options = {});
};

}  // namespace keras::layers
