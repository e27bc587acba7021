#pragma once
// Conv2DTranspose: the transposed convolution (the gradient of a Conv2D with
// respect to its input), which grows the spatial size:
// (batch, h, w, channels) -> (batch, new_h, new_w, filters) with kernel
// (kernel_h, kernel_w, filters, channels) -- filters before channels, as
// Keras -- and bias (filters,). With padding "valid" new_h =
// (h - 1) * strides + max(kernel, strides), with "same" h * strides; an
// output_padding (each value < its stride) sets the extra rows explicitly:
// "valid" (h - 1) * strides + kernel + output_padding, "same"
// (h - 1) * strides + kernel % 2 + output_padding (kernel dilated).
#include <cstdint>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct Conv2DTransposeOptions {
  IntTuple strides = 1;
  std::string padding = "valid";
  IntTuple output_padding;  // empty: Keras' None
  std::string data_format = "channels_last";
  IntTuple dilation_rate = 1;
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

class Conv2DTranspose : public Layer {
 public:
  Conv2DTranspose(std::int64_t filters, IntTuple kernel_size, Conv2DTransposeOptions options = {});
};

}  // namespace keras::layers
