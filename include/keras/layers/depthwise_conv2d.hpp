#pragma once
// DepthwiseConv2D: each input channel convolved with its own
// depth_multiplier filters: (batch, h, w, channels) -> (batch, new_h, new_w,
// channels * depth_multiplier); output channel c * depth_multiplier + j comes
// from input channel c. Weights: kernel (kernel_h, kernel_w, channels,
// depth_multiplier) and bias (channels * depth_multiplier,).
#include <cstdint>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

// In Keras' argument order (depth_multiplier comes after padding).
struct DepthwiseConv2DOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  std::int64_t depth_multiplier = 1;
  std::string data_format = "channels_last";
  IntTuple dilation_rate = 1;
  std::string activation = "linear";
  bool use_bias = true;
  initializers::Initializer depthwise_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  // Keras' None by default; a name ("l2") or regularizers::L2(0.001), ...
  regularizers::Regularizer depthwise_regularizer;
  regularizers::Regularizer bias_regularizer;
  regularizers::Regularizer activity_regularizer;
  constraints::Constraint depthwise_constraint;
  constraints::Constraint bias_constraint;
  std::string name;
  bool trainable = true;
};

class DepthwiseConv2D : public Layer {
 public:
  explicit DepthwiseConv2D(IntTuple kernel_size, DepthwiseConv2DOptions options = {});
};

}  // namespace keras::layers
