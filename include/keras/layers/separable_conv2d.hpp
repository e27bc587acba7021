#pragma once
// SeparableConv2D: a DepthwiseConv2D (strides, padding and dilation apply
// here) followed by a 1x1 convolution to `filters` channels, then bias and
// activation. Weights, in Keras' order: depthwise_kernel (kernel_h, kernel_w,
// channels, depth_multiplier), pointwise_kernel (1, 1, channels *
// depth_multiplier, filters), bias (filters,).
#include <cstdint>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct SeparableConv2DOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  std::string data_format = "channels_last";
  IntTuple dilation_rate = 1;
  std::int64_t depth_multiplier = 1;
  std::string activation = "linear";
  bool use_bias = true;
  initializers::Initializer depthwise_initializer = "glorot_uniform";
  initializers::Initializer pointwise_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  // Keras' None by default; a name ("l2") or regularizers::L2(0.001), ...
  regularizers::Regularizer depthwise_regularizer;
  regularizers::Regularizer pointwise_regularizer;
  regularizers::Regularizer bias_regularizer;
  regularizers::Regularizer activity_regularizer;
  constraints::Constraint depthwise_constraint;
  constraints::Constraint pointwise_constraint;
  constraints::Constraint bias_constraint;
  std::string name;
  bool trainable = true;
};

class SeparableConv2D : public Layer {
 public:
  SeparableConv2D(std::int64_t filters, IntTuple kernel_size, SeparableConv2DOptions options = {});
};

}  // namespace keras::layers
