#pragma once
// Conv1D: a 1-D convolution (cross-correlation, as Keras) over the steps axis:
// (batch, steps, channels) -> (batch, new_steps, filters), kernel
// (kernel_size, channels / groups, filters) and bias (filters,), then the
// activation. Conv1D(8, 3) on (None, 10, 4) gives (None, 8, 8) with
// 3*4*8 + 8 = 104 parameters. padding "valid" (no padding), "same" (output
// ceil(steps / strides), the extra padding after, as Keras) or "causal" (all
// padding before: output t sees only inputs up to t).
#include <cstdint>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct Conv1DOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  std::string data_format = "channels_last";  // or "channels_first": (batch, channels, steps)
  IntTuple dilation_rate = 1;
  std::int64_t groups = 1;
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

class Conv1D : public Layer {
 public:
  // Throws keras::Error for a non-positive filters, kernel_size or strides, a
  // filters count not divisible by groups, strides > 1 with dilation_rate > 1,
  // or an unknown padding, data_format or activation.
  Conv1D(std::int64_t filters, IntTuple kernel_size, Conv1DOptions options = {});
};

}  // namespace keras::layers
