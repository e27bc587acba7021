#pragma once
// BaseConv (keras/src/layers/convolutional/base_conv.py): what Conv1D and
// Conv2D share. Kernel (*kernel_size, channels / groups, filters), bias
// (filters,), computed by ops::conv_nd in one fused op with the bias and an
// element-wise activation.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"
#include "layers/conv_utils.hpp"
#include "ops/conv.hpp"

namespace keras::layers {

// What every convolution layer does with its inputs: exactly rank + 2 axes
// and, once built, the channel count its weights were made for.
class ConvLayerImpl : public LayerImpl {
 public:
  ConvLayerImpl(const std::string& class_name, const std::string& name, bool trainable, int rank,
                bool channels_first, const regularizers::Regularizer& activity_regularizer);

 protected:
  void check_input(const Shape& shape) const;
  // For build(): the input's channel count (which must be known), remembered
  // for check_input.
  std::int64_t build_channels(const Shape& shape);

  int rank_;
  bool channels_first_;
  std::int64_t channels_ = 0;  // known once built
};

struct BaseConvArgs {
  std::string class_name;
  int rank = 2;
  std::int64_t filters = 1;
  std::vector<std::int64_t> kernel_size;
  ops::ConvArgs conv;
  std::int64_t groups = 1;
  std::string activation = "linear";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  regularizers::Regularizer kernel_regularizer;
  regularizers::Regularizer bias_regularizer;
  regularizers::Regularizer activity_regularizer;
  constraints::Constraint kernel_constraint;
  constraints::Constraint bias_constraint;
  std::string name;
  bool trainable = true;
};

// Checks the arguments as Keras' constructor does (throws keras::Error
// naming the class) and makes the layer.
std::shared_ptr<LayerImpl> make_base_conv(BaseConvArgs args);

// ---- writing the configs of BaseConv, Conv2DTranspose, DepthwiseConv2D and
// SeparableConv2D (their get_config share these runs of fields) ----

// kernel_size, strides, padding, [output_padding (null when None),]
// data_format, dilation_rate: each tuple as a list of one value per axis.
void write_conv_window(detail::ConfigWriter& w, const std::vector<std::int64_t>& kernel_size,
                       const ops::ConvArgs& conv, bool with_output_padding = false);

// What one weight's <prefix>_initializer, <prefix>_regularizer and
// <prefix>_constraint hold.
struct ConvWeightConfig {
  const char* prefix;  // "kernel", "depthwise", "pointwise", "bias"
  const initializers::Initializer& initializer;
  const regularizers::Regularizer& regularizer;
  const constraints::Constraint& constraint;
};
// The weights' initializers, then their regularizers and the layer's
// activity_regularizer, then their constraints: Keras' order.
void write_conv_weights(detail::ConfigWriter& w, std::initializer_list<ConvWeightConfig> weights);

// Conv1DOptions / Conv2DOptions (same fields) into BaseConvArgs.
template <class Options>
BaseConvArgs base_conv_args(const std::string& class_name, int rank, std::int64_t filters,
                            const IntTuple& kernel_size, const Options& o) {
  BaseConvArgs a;
  a.class_name = class_name;
  a.rank = rank;
  a.filters = filters;
  a.kernel_size = standardize_tuple(class_name, kernel_size, rank, "kernel_size");
  a.conv.strides = standardize_tuple(class_name, o.strides, rank, "strides");
  a.conv.dilation_rate = standardize_tuple(class_name, o.dilation_rate, rank, "dilation_rate");
  a.conv.padding = standardize_padding(class_name, o.padding, rank == 1);
  a.conv.data_format = standardize_data_format(class_name, o.data_format);
  a.groups = o.groups;
  a.activation = o.activation;
  a.use_bias = o.use_bias;
  a.kernel_initializer = o.kernel_initializer;
  a.bias_initializer = o.bias_initializer;
  a.kernel_regularizer = o.kernel_regularizer;
  a.bias_regularizer = o.bias_regularizer;
  a.activity_regularizer = o.activity_regularizer;
  a.kernel_constraint = o.kernel_constraint;
  a.bias_constraint = o.bias_constraint;
  a.name = o.name;
  a.trainable = o.trainable;
  return a;
}

// The options of Conv1D / Conv2D from a Keras config (the fields of BaseConv).
template <class Options>
Options base_conv_options_from_config(const LayerConfig& c) {
  const auto common = c.common();
  for (const char* unsupported : {"lora_rank", "lora_alpha", "quantization_config"}) {
    c.require_null(unsupported);
  }
  Options o;
  o.strides = tuple_field(c, "strides", 1);
  o.padding = c.string("padding", "valid");
  o.data_format = c.string("data_format", "channels_last");
  o.dilation_rate = tuple_field(c, "dilation_rate", 1);
  o.groups = c.integer("groups", 1);
  o.activation = c.activation("activation");
  o.use_bias = c.boolean("use_bias", true);
  o.kernel_initializer = c.initializer("kernel_initializer", "glorot_uniform");
  o.bias_initializer = c.initializer("bias_initializer", "zeros");
  o.kernel_regularizer = c.regularizer("kernel_regularizer");
  o.bias_regularizer = c.regularizer("bias_regularizer");
  o.activity_regularizer = c.regularizer("activity_regularizer");
  o.kernel_constraint = c.constraint("kernel_constraint");
  o.bias_constraint = c.constraint("bias_constraint");
  o.name = common.name;
  o.trainable = common.trainable;
  return o;
}

}  // namespace keras::layers
