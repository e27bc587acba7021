// SeparableConv2D (keras/src/layers/convolutional/base_separable_conv.py): a
// depthwise convolution (strides, padding, dilation) then a 1x1 convolution
// fused with the bias and an element-wise activation.
#include "keras/layers/separable_conv2d.hpp"

#include "layers/base_conv.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

struct SeparableArgs {
  std::int64_t filters;
  std::vector<std::int64_t> kernel_size;
  ops::ConvArgs conv;
  std::string activation;
  SeparableConv2DOptions options;
};

class SeparableConv2DImpl : public ConvLayerImpl {
 public:
  explicit SeparableConv2DImpl(SeparableArgs a)
      : ConvLayerImpl("SeparableConv2D", a.options.name, a.options.trainable, 2,
                      a.conv.data_format == "channels_first", a.options.activity_regularizer),
        a_(std::move(a)) {}

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const std::int64_t channels = build_channels(input_shapes[0]);
    compute_output_shape(input_shapes);  // the output must not be empty
    const SeparableConv2DOptions& o = a_.options;
    const std::int64_t m = o.depth_multiplier;
    depthwise_ =
        add_weight("depthwise_kernel", Shape{a_.kernel_size[0], a_.kernel_size[1], channels, m},
                   o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint);
    pointwise_ =
        add_weight("pointwise_kernel", Shape{1, 1, channels * m, a_.filters},
                   o.pointwise_initializer, o.pointwise_regularizer, o.pointwise_constraint);
    if (o.use_bias) {
      bias_ = add_weight("bias", Shape{a_.filters}, o.bias_initializer, o.bias_regularizer,
                         o.bias_constraint);
    }
    channels_ = channels;
  }

  // A depthwise step (each channel on its own) then a 1x1 convolution that
  // mixes the channels.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::int64_t m = a_.options.depth_multiplier;
    const std::string z_channel = m == 1 ? "c" : "c*" + std::to_string(m) + " + q";
    const WindowIndices ix =
        window_indices(in, w.output(), 2, channels_first_, a_.kernel_size, a_.conv.strides,
                       a_.conv.dilation_rate, a_.conv.padding, "c", "f");
    std::vector<std::string> z = ix.output;
    std::vector<std::string> z_step = ix.output;
    for (std::size_t i = 0; i < z.size(); ++i) {
      if (z[i] == "f") {
        z[i] = "p";
        z_step[i] = z_channel;
      }
    }
    std::string sum = "sum_p " + detail::indexed("z", z) + " * pointwise_kernel[0,0,p,f]";
    if (a_.options.use_bias) sum += " + bias[f]";
    w.formula(detail::indexed("y", ix.output) + " = " + detail::activated(a_.activation, sum) +
              ", where");
    std::vector<std::string> kernel = ix.window;
    kernel.push_back("c");
    kernel.push_back(m == 1 ? "0" : "q");
    w.formula("  " + detail::indexed("z", z_step) + " = sum_{" + detail::joined(ix.window) + "} " +
              detail::indexed("x", ix.input) + " * " + detail::indexed("depthwise_kernel", kernel));
    const std::int64_t channels = channel_dim(in, channels_first_);
    std::string note = "a depthwise step (each of the " + detail::dim(channels) +
                       " channels filtered on its own by windows of " + ix.sizes +
                       stride_phrase(a_.conv.strides) + ") then a 1 x 1 convolution mixing its " +
                       (channels == None ? "" : std::to_string(channels * m) + " ") +
                       "channels into " + std::to_string(a_.filters) + " filters";
    if (channels != None) {
      note += "; a Conv2D with the same window would need " +
              detail::with_commas(a_.kernel_size[0] * a_.kernel_size[1] * channels * a_.filters) +
              " kernel weights";
    }
    w.note(note);
    const std::string pad = padding_note(a_.conv.padding, "positions outside the input read 0");
    if (!pad.empty()) w.note(pad);
  }

  // Keras' BaseSeparableConv.get_config.
  void write_config(detail::ConfigWriter& w) const override {
    const SeparableConv2DOptions& o = a_.options;
    w.base().set("depth_multiplier", o.depth_multiplier).set("filters", a_.filters);
    write_conv_window(w, a_.kernel_size, a_.conv);
    w.set("activation", a_.activation).set("use_bias", o.use_bias);
    write_conv_weights(
        w, {{"depthwise", o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint},
            {"pointwise", o.pointwise_initializer, o.pointwise_regularizer, o.pointwise_constraint},
            {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const Tensor depthwise =
        ops::depthwise_conv_nd(describe(), x, like_input(depthwise_.value(), x), Tensor(), a_.conv);
    const Tensor bias = bias_.defined() ? like_input(bias_.value(), x) : Tensor();
    return {ops::conv_nd(describe(), depthwise, like_input(pointwise_.value(), x), bias,
                         {.strides = {1}, .padding = "valid", .data_format = a_.conv.data_format},
                         a_.activation)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_input(input_shapes[0]);
    return {
        ops::conv_output_shape(describe(), input_shapes[0], a_.kernel_size, a_.filters, a_.conv)};
  }

 private:
  SeparableArgs a_;
  Variable depthwise_;
  Variable pointwise_;
  Variable bias_;
};

}  // namespace

SeparableConv2D::SeparableConv2D(std::int64_t filters, IntTuple kernel_size,
                                 SeparableConv2DOptions options) {
  const std::string name = "SeparableConv2D";
  if (options.depth_multiplier <= 0) {
    throw Error(name +
                ": invalid value for argument `depth_multiplier`. Expected a strictly "
                "positive value. Received depth_multiplier=" +
                std::to_string(options.depth_multiplier) + ".");
  }
  if (filters <= 0) {
    throw Error(name +
                ": invalid value for argument `filters`. Expected a strictly positive "
                "value. Received filters=" +
                std::to_string(filters) + ".");
  }
  SeparableArgs a;
  a.filters = filters;
  a.kernel_size = standardize_tuple(name, kernel_size, 2, "kernel_size");
  a.conv.strides = standardize_tuple(name, options.strides, 2, "strides");
  a.conv.dilation_rate = standardize_tuple(name, options.dilation_rate, 2, "dilation_rate");
  a.conv.padding = standardize_padding(name, options.padding);
  a.conv.data_format = standardize_data_format(name, options.data_format);
  activations::get(options.activation);  // an unknown name fails here
  a.activation = activations::canonical_name(options.activation);
  a.options = std::move(options);
  impl_ = std::make_shared<SeparableConv2DImpl>(std::move(a));
}

std::shared_ptr<LayerImpl> separable_conv2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return SeparableConv2D(
             c.integer("filters"), tuple_field(c, "kernel_size"),
             {.strides = tuple_field(c, "strides", 1),
              .padding = c.string("padding", "valid"),
              .data_format = c.string("data_format", "channels_last"),
              .dilation_rate = tuple_field(c, "dilation_rate", 1),
              .depth_multiplier = c.integer("depth_multiplier", 1),
              .activation = c.activation("activation"),
              .use_bias = c.boolean("use_bias", true),
              .depthwise_initializer = c.initializer("depthwise_initializer", "glorot_uniform"),
              .pointwise_initializer = c.initializer("pointwise_initializer", "glorot_uniform"),
              .bias_initializer = c.initializer("bias_initializer", "zeros"),
              .depthwise_regularizer = c.regularizer("depthwise_regularizer"),
              .pointwise_regularizer = c.regularizer("pointwise_regularizer"),
              .bias_regularizer = c.regularizer("bias_regularizer"),
              .activity_regularizer = c.regularizer("activity_regularizer"),
              .depthwise_constraint = c.constraint("depthwise_constraint"),
              .pointwise_constraint = c.constraint("pointwise_constraint"),
              .bias_constraint = c.constraint("bias_constraint"),
              .name = common.name,
              .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
