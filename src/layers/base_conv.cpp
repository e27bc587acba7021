// BaseConv (keras/src/layers/convolutional/base_conv.py) for Conv1D and Conv2D.
#include "layers/base_conv.hpp"

#include "keras/ops.hpp"
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
