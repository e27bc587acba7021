// DepthwiseConv2D (keras/src/layers/convolutional/base_depthwise_conv.py):
// kernel (kernel_h, kernel_w, channels, depth_multiplier), bias (channels *
// depth_multiplier,), computed by ops::depthwise_conv_nd.
#include "keras/layers/depthwise_conv2d.hpp"

#include "layers/base_conv.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

struct DepthwiseArgs {
  std::vector<std::int64_t> kernel_size;
  ops::ConvArgs conv;
  std::string activation;
  DepthwiseConv2DOptions options;
};

class DepthwiseConv2DImpl : public ConvLayerImpl {
 public:
  explicit DepthwiseConv2DImpl(DepthwiseArgs a)
      : ConvLayerImpl("DepthwiseConv2D", a.options.name, a.options.trainable, 2,
                      a.conv.data_format == "channels_first", a.options.activity_regularizer),
        a_(std::move(a)) {}

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const std::int64_t channels = build_channels(input_shapes[0]);
    compute_output_shape(input_shapes);  // the output must not be empty
    const DepthwiseConv2DOptions& o = a_.options;
    const std::int64_t m = o.depth_multiplier;
    kernel_ = add_weight("kernel", Shape{a_.kernel_size[0], a_.kernel_size[1], channels, m},
                         o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint);
    if (o.use_bias) {
      bias_ = add_weight("bias", Shape{channels * m}, o.bias_initializer, o.bias_regularizer,
                         o.bias_constraint);
    }
    channels_ = channels;
  }

  // Each channel is filtered on its own: no sum over channels.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::int64_t m = a_.options.depth_multiplier;
    const std::string out_channel = m == 1 ? "c" : "c*" + std::to_string(m) + " + q";
    const WindowIndices ix =
        window_indices(in, w.output(), 2, channels_first_, a_.kernel_size, a_.conv.strides,
                       a_.conv.dilation_rate, a_.conv.padding, "c", out_channel);
    std::vector<std::string> kernel = ix.window;
    kernel.push_back("c");
    kernel.push_back(m == 1 ? "0" : "q");
    std::string sum = "sum_{" + detail::joined(ix.window) + "} " + detail::indexed("x", ix.input) +
                      " * " + detail::indexed("kernel", kernel);
    if (a_.options.use_bias) sum += " + bias[" + out_channel + "]";
    w.formula(detail::indexed("y", ix.output) + " = " + detail::activated(a_.activation, sum));
    w.note("filters each of the " + detail::dim(channel_dim(in, channels_first_)) +
           " channels on its own (no sum over channels) with " + detail::plural(m, "kernel") +
           " of " + ix.sizes + stride_phrase(a_.conv.strides) +
           "; the same kernels are used at each of the " + ix.positions + " output positions");
    const std::string pad = padding_note(a_.conv.padding, "positions outside the input read 0");
    if (!pad.empty()) w.note(pad);
  }

  // Keras' BaseDepthwiseConv.get_config.
  void write_config(detail::ConfigWriter& w) const override {
    const DepthwiseConv2DOptions& o = a_.options;
    w.base().set("depth_multiplier", o.depth_multiplier);
    write_conv_window(w, a_.kernel_size, a_.conv);
    w.set("activation", a_.activation).set("use_bias", o.use_bias);
    write_conv_weights(
        w, {{"depthwise", o.depthwise_initializer, o.depthwise_regularizer, o.depthwise_constraint},
            {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const Tensor bias = bias_.defined() ? like_input(bias_.value(), x) : Tensor();
    return {ops::depthwise_conv_nd(describe(), x, like_input(kernel_.value(), x), bias, a_.conv,
                                   a_.activation)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    check_input(shape);
    const std::int64_t channels = channel_dim(shape, channels_first_);
    const std::int64_t filters = channels == None ? None : channels * a_.options.depth_multiplier;
    return {ops::conv_output_shape(describe(), shape, a_.kernel_size, filters, a_.conv)};
  }

 private:
  DepthwiseArgs a_;
  Variable kernel_;
  Variable bias_;
};

}  // namespace

DepthwiseConv2D::DepthwiseConv2D(IntTuple kernel_size, DepthwiseConv2DOptions options) {
  const std::string name = "DepthwiseConv2D";
  if (options.depth_multiplier <= 0) {
    throw Error(name +
                ": invalid value for argument `depth_multiplier`. Expected a strictly "
                "positive value. Received depth_multiplier=" +
                std::to_string(options.depth_multiplier) + ".");
  }
  DepthwiseArgs a;
  a.kernel_size = standardize_tuple(name, kernel_size, 2, "kernel_size");
  a.conv.strides = standardize_tuple(name, options.strides, 2, "strides");
  a.conv.dilation_rate = standardize_tuple(name, options.dilation_rate, 2, "dilation_rate");
  a.conv.padding = standardize_padding(name, options.padding);
  a.conv.data_format = standardize_data_format(name, options.data_format);
  activations::get(options.activation);  // an unknown name fails here
  a.activation = activations::canonical_name(options.activation);
  a.options = std::move(options);
  impl_ = std::make_shared<DepthwiseConv2DImpl>(std::move(a));
}

std::shared_ptr<LayerImpl> depthwise_conv2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return DepthwiseConv2D(
             tuple_field(c, "kernel_size"),
             {.strides = tuple_field(c, "strides", 1),
              .padding = c.string("padding", "valid"),
              .depth_multiplier = c.integer("depth_multiplier", 1),
              .data_format = c.string("data_format", "channels_last"),
              .dilation_rate = tuple_field(c, "dilation_rate", 1),
              .activation = c.activation("activation"),
              .use_bias = c.boolean("use_bias", true),
              .depthwise_initializer = c.initializer("depthwise_initializer", "glorot_uniform"),
              .bias_initializer = c.initializer("bias_initializer", "zeros"),
              .depthwise_regularizer = c.regularizer("depthwise_regularizer"),
              .bias_regularizer = c.regularizer("bias_regularizer"),
              .activity_regularizer = c.regularizer("activity_regularizer"),
              .depthwise_constraint = c.constraint("depthwise_constraint"),
              .bias_constraint = c.constraint("bias_constraint"),
              .name = common.name,
              .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
