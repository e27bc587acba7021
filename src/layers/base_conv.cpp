// BaseConv (keras/src/layers/convolutional/base_conv.py) for Conv1D and Conv2D.
#include "layers/base_conv.hpp"

#include <algorithm>

#include "keras/ops.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

ConvLayerImpl::ConvLayerImpl(const std::string& class_name, const std::string& name, bool trainable,
                             int rank, bool channels_first,
                             const regularizers::Regularizer& activity_regularizer)
    : LayerImpl(class_name, name, trainable), rank_(rank), channels_first_(channels_first) {
  set_activity_regularizer(activity_regularizer);
}

void ConvLayerImpl::check_input(const Shape& shape) const {
  check_spatial_rank(*this, shape, rank_, channels_first_);
  if (channels_ > 0) check_channels(*this, shape, channels_first_, channels_);
}

std::int64_t ConvLayerImpl::build_channels(const Shape& shape) {
  check_spatial_rank(*this, shape, rank_, channels_first_);
  const std::int64_t channels = channel_dim(shape, channels_first_);
  if (channels == None) {
    throw Error(describe() +
                " needs to know the number of input channels to create its "
                "kernel, got shape " +
                shape.to_string() + ".");
  }
  return channels;
}

namespace {

class BaseConvImpl : public ConvLayerImpl {
 public:
  explicit BaseConvImpl(BaseConvArgs args)
      : ConvLayerImpl(args.class_name, args.name, args.trainable, args.rank,
                      args.conv.data_format == "channels_first", args.activity_regularizer),
        args_(std::move(args)),
        activation_(activations::canonical_name(args_.activation)) {}

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    const std::int64_t channels = build_channels(shape);
    if (channels % args_.groups != 0) {
      throw Error(describe() +
                  ": the number of input channels must be evenly divisible by the "
                  "number of groups. Received groups=" +
                  std::to_string(args_.groups) + ", but the input has " + std::to_string(channels) +
                  " channels (full input shape is " + shape.to_string() + ").");
    }
    compute_output_shape(input_shapes);  // the output must not be empty
    std::vector<std::int64_t> dims = args_.kernel_size;
    dims.push_back(channels / args_.groups);
    dims.push_back(args_.filters);
    kernel_ = add_weight("kernel", Shape(dims), args_.kernel_initializer, args_.kernel_regularizer,
                         args_.kernel_constraint);
    if (args_.use_bias) {
      bias_ = add_weight("bias", Shape{args_.filters}, args_.bias_initializer,
                         args_.bias_regularizer, args_.bias_constraint);
    }
    channels_ = channels;
  }

  // One kernel slides over the positions: every output position uses the
  // same kernel[window, c, f].
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const WindowIndices ix =
        window_indices(in, w.output(), rank_, channels_first_, args_.kernel_size,
                       args_.conv.strides, args_.conv.dilation_rate, args_.conv.padding, "c", "f");
    std::vector<std::string> kernel = ix.window;
    kernel.push_back("c");
    kernel.push_back("f");
    std::string sum = "sum_{" + detail::joined(ix.window) + ",c} " +
                      detail::indexed("x", ix.input) + " * " + detail::indexed("kernel", kernel);
    if (args_.use_bias) sum += " + bias[f]";
    w.formula(detail::indexed("y", ix.output) + " = " + detail::activated(activation_, sum));
    const std::int64_t channels = channel_dim(in, channels_first_);
    const std::int64_t seen = channels == None ? None : channels / args_.groups;
    std::int64_t window = 1;
    for (std::int64_t k : args_.kernel_size) window *= k;
    w.note("slides a window of " + ix.sizes + " over the input" +
           stride_phrase(args_.conv.strides) + ": the same kernel is used at each of the " +
           ix.positions + " output positions; each output value reads " + ix.sizes + " x " +
           detail::dim(seen) + (seen == None ? "" : " = " + detail::with_commas(window * seen)) +
           " inputs");
    if (args_.groups > 1) {
      w.note("groups=" + std::to_string(args_.groups) + ": the " + detail::dim(channels) +
             " channels are split into " + std::to_string(args_.groups) +
             " groups; filter f reads only the " + detail::dim(seen) + " channels of its group");
    }
    if (*std::max_element(args_.conv.dilation_rate.begin(), args_.conv.dilation_rate.end()) > 1) {
      w.note("dilation_rate " + format_dims(args_.conv.dilation_rate) +
             ": the window's taps are that many positions apart");
    }
    const std::string pad = padding_note(args_.conv.padding, "positions outside the input read 0");
    if (!pad.empty()) w.note(pad);
  }

  // Keras' BaseConv.get_config.
  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("filters", args_.filters);
    write_conv_window(w, args_.kernel_size, args_.conv);
    w.set("groups", args_.groups).set("activation", activation_).set("use_bias", args_.use_bias);
    write_conv_weights(
        w, {{"kernel", args_.kernel_initializer, args_.kernel_regularizer, args_.kernel_constraint},
            {"bias", args_.bias_initializer, args_.bias_regularizer, args_.bias_constraint}});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const Tensor bias = bias_.defined() ? like_input(bias_.value(), x) : Tensor();
    return {
        ops::conv_nd(describe(), x, like_input(kernel_.value(), x), bias, args_.conv, activation_)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_input(input_shapes[0]);
    return {ops::conv_output_shape(describe(), input_shapes[0], args_.kernel_size, args_.filters,
                                   args_.conv)};
  }

 private:
  BaseConvArgs args_;
  std::string activation_;
  Variable kernel_;
  Variable bias_;
};

}  // namespace

void write_conv_window(detail::ConfigWriter& w, const std::vector<std::int64_t>& kernel_size,
                       const ops::ConvArgs& conv, bool with_output_padding) {
  w.set("kernel_size", kernel_size).set("strides", conv.strides).set("padding", conv.padding);
  if (with_output_padding) {
    w.set("output_padding",
          conv.output_padding.empty() ? detail::json(nullptr) : detail::json(conv.output_padding));
  }
  w.set("data_format", conv.data_format).set("dilation_rate", conv.dilation_rate);
}

void write_conv_weights(detail::ConfigWriter& w, std::initializer_list<ConvWeightConfig> weights) {
  const std::string initializer = "_initializer", regularizer = "_regularizer",
                    constraint = "_constraint";
  for (const ConvWeightConfig& c : weights) w.initializer(c.prefix + initializer, c.initializer);
  for (const ConvWeightConfig& c : weights) w.regularizer(c.prefix + regularizer, c.regularizer);
  w.regularizer("activity_regularizer", w.layer().activity_regularizer());
  for (const ConvWeightConfig& c : weights) w.constraint(c.prefix + constraint, c.constraint);
}

std::shared_ptr<LayerImpl> make_base_conv(BaseConvArgs args) {
  const std::string& name = args.class_name;
  if (args.filters <= 0) {
    throw Error(name +
                ": invalid value for argument `filters`. Expected a strictly positive "
                "value. Received filters=" +
                std::to_string(args.filters) + ".");
  }
  if (args.groups <= 0) {
    throw Error(name + ": the number of groups must be a positive integer. Received: groups=" +
                std::to_string(args.groups) + ".");
  }
  if (args.filters % args.groups != 0) {
    throw Error(name +
                ": the number of filters must be evenly divisible by the number of "
                "groups. Received: groups=" +
                std::to_string(args.groups) + ", filters=" + std::to_string(args.filters) + ".");
  }
  check_strides_dilation(name, args.conv.strides, args.conv.dilation_rate);
  activations::get(args.activation);  // an unknown name fails here, listing the known ones
  return std::make_shared<BaseConvImpl>(std::move(args));
}

}  // namespace keras::layers
