// Conv2DTranspose (keras/src/layers/convolutional/base_conv_transpose.py):
// kernel (kernel_h, kernel_w, filters, channels), computed by
// ops::conv_transpose_nd (the adjoint of a convolution, fused with the bias
// and an element-wise activation).
#include "keras/layers/conv2d_transpose.hpp"

#include "layers/base_conv.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

struct TransposeArgs {
  std::int64_t filters;
  std::vector<std::int64_t> kernel_size;
  ops::ConvArgs conv;
  std::string activation;
  Conv2DTransposeOptions options;
};

class Conv2DTransposeImpl : public ConvLayerImpl {
 public:
  explicit Conv2DTransposeImpl(TransposeArgs a)
      : ConvLayerImpl("Conv2DTranspose", a.options.name, a.options.trainable, 2,
                      a.conv.data_format == "channels_first", a.options.activity_regularizer),
        a_(std::move(a)) {}

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const std::int64_t channels = build_channels(input_shapes[0]);
    const Conv2DTransposeOptions& o = a_.options;
    kernel_ =
        add_weight("kernel", Shape{a_.kernel_size[0], a_.kernel_size[1], a_.filters, channels},
                   o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint);
    if (o.use_bias) {
      bias_ = add_weight("bias", Shape{a_.filters}, o.bias_initializer, o.bias_regularizer,
                         o.bias_constraint);
    }
    channels_ = channels;
  }

  // Written from the input's side: each input position spreads its values
  // through the kernel onto a window of output positions.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> y = channels_first_
                                           ? std::vector<std::string>{"b", "f", "h", "w"}
                                           : std::vector<std::string>{"b", "h", "w", "f"};
    const std::vector<std::string> x = channels_first_
                                           ? std::vector<std::string>{"b", "c", "h'", "w'"}
                                           : std::vector<std::string>{"b", "h'", "w'", "c"};
    const auto& s = a_.conv.strides;
    const auto stride = [&](std::size_t i) {
      const std::int64_t v = s.size() > i ? s[i] : s.at(0);
      return v > 1 ? "*" + std::to_string(v) : std::string();
    };
    std::string sum = "sum_{h',w',i,j,c: h = h'" + stride(0) + " + i, w = w'" + stride(1) +
                      " + j} " + detail::indexed("x", x) + " * kernel[i,j,f,c]";
    if (a_.options.use_bias) sum += " + bias[f]";
    w.formula(detail::indexed("y", y) + " = " + detail::activated(a_.activation, sum));
    const int h = channels_first_ ? 2 : 1;
    w.note("the adjoint of a convolution: each of the " + detail::grid(in, h, h + 2) +
           " input positions adds its values, through the same " +
           std::to_string(a_.kernel_size[0]) + " x " + std::to_string(a_.kernel_size[1]) +
           " kernel, to a window of output positions" + stride_phrase(s) + ", which makes " +
           detail::grid(w.output(), h, h + 2) + " output positions");
    if (a_.conv.padding == "same") {
      w.note(
          "padding=\"same\": the output is the input's size times the stride; what spills "
          "over the edges is cut off");
    }
    if (!a_.conv.output_padding.empty()) {
      w.note("output_padding " + format_dims(a_.conv.output_padding) +
             ": that many extra positions at the end of each spatial axis");
    }
  }

  // Keras' BaseConvTranspose.get_config.
  void write_config(detail::ConfigWriter& w) const override {
    const Conv2DTransposeOptions& o = a_.options;
    w.base().set("filters", a_.filters);
    write_conv_window(w, a_.kernel_size, a_.conv, /*with_output_padding=*/true);
    w.set("activation", a_.activation).set("use_bias", o.use_bias);
    write_conv_weights(w,
                       {{"kernel", o.kernel_initializer, o.kernel_regularizer, o.kernel_constraint},
                        {"bias", o.bias_initializer, o.bias_regularizer, o.bias_constraint}});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const Tensor bias = bias_.defined() ? like_input(bias_.value(), x) : Tensor();
    return {ops::conv_transpose_nd(describe(), x, like_input(kernel_.value(), x), bias, a_.conv,
                                   a_.activation)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_input(input_shapes[0]);
    return {ops::conv_transpose_output_shape(input_shapes[0], a_.kernel_size, a_.filters, a_.conv)};
  }

 private:
  TransposeArgs a_;
  Variable kernel_;
  Variable bias_;
};

}  // namespace

Conv2DTranspose::Conv2DTranspose(std::int64_t filters, IntTuple kernel_size,
                                 Conv2DTransposeOptions options) {
  const std::string name = "Conv2DTranspose";
  if (filters <= 0) {
    throw Error(name +
                ": invalid value for argument `filters`. Expected a strictly positive "
                "value. Received filters=" +
                std::to_string(filters) + ".");
  }
  TransposeArgs a;
  a.filters = filters;
  a.kernel_size = standardize_tuple(name, kernel_size, 2, "kernel_size");
  a.conv.strides = standardize_tuple(name, options.strides, 2, "strides");
  a.conv.dilation_rate = standardize_tuple(name, options.dilation_rate, 2, "dilation_rate");
  a.conv.padding = standardize_padding(name, options.padding);
  a.conv.data_format = standardize_data_format(name, options.data_format);
  if (!options.output_padding.empty()) {
    a.conv.output_padding =
        standardize_tuple(name, options.output_padding, 2, "output_padding", true);
    for (int i = 0; i < 2; ++i) {
      if (a.conv.output_padding[i] >= a.conv.strides[i]) {
        throw Error(name +
                    ": `output_padding` must be strictly less than `strides` for all "
                    "dimensions. At dimension " +
                    std::to_string(i) + ", `output_padding` is " +
                    std::to_string(a.conv.output_padding[i]) + " but `strides` is " +
                    std::to_string(a.conv.strides[i]) + ".");
      }
    }
  }
  check_strides_dilation(name, a.conv.strides, a.conv.dilation_rate);
  activations::get(options.activation);  // an unknown name fails here
  a.activation = activations::canonical_name(options.activation);
  a.options = std::move(options);
  impl_ = std::make_shared<Conv2DTransposeImpl>(std::move(a));
}

std::shared_ptr<LayerImpl> conv2d_transpose_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Conv2DTranspose(
             c.integer("filters"), tuple_field(c, "kernel_size"),
             {.strides = tuple_field(c, "strides", 1),
              .padding = c.string("padding", "valid"),
              .output_padding = optional_tuple_field(c, "output_padding").value_or(IntTuple()),
              .data_format = c.string("data_format", "channels_last"),
              .dilation_rate = tuple_field(c, "dilation_rate", 1),
              .activation = c.activation("activation"),
              .use_bias = c.boolean("use_bias", true),
              .kernel_initializer = c.initializer("kernel_initializer", "glorot_uniform"),
              .bias_initializer = c.initializer("bias_initializer", "zeros"),
              .kernel_regularizer = c.regularizer("kernel_regularizer"),
              .bias_regularizer = c.regularizer("bias_regularizer"),
              .activity_regularizer = c.regularizer("activity_regularizer"),
              .kernel_constraint = c.constraint("kernel_constraint"),
              .bias_constraint = c.constraint("bias_constraint"),
              .name = common.name,
              .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
