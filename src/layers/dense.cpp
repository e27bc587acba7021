// Dense (keras/src/layers/core/dense.py): activation(x . kernel + bias) over
// the last axis of x; every leading axis is a batch of positions sharing one
// kernel.
#include "keras/layers/dense.hpp"

#include "keras/activations.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class DenseImpl : public LayerImpl {
 public:
  DenseImpl(std::int64_t units, DenseOptions options)
      : LayerImpl("Dense", options.name, options.trainable),
        units_(units),
        activation_(activations::canonical_name(options.activation)),
        options_(std::move(options)) {
    set_activity_regularizer(options_.activity_regularizer);
  }

  bool supports_masking() const override { return true; }
  // The default compute_mask (the mask passes on), without allocating.
  void compute_mask_into(const std::vector<Tensor>&,
                         const std::vector<std::optional<Tensor>>& masks,
                         std::vector<std::optional<Tensor>>& out) const override {
    pass_masks_into(masks, out);
  }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    check_rank(shape);
    if (shape[-1] == None) {
      throw Error(describe() +
                  " needs to know the last dimension of its inputs to create its "
                  "kernel, got shape " +
                  shape.to_string() +
                  ". Give the Input a known last dimension (the number of features).");
    }
    kernel_ = add_weight("kernel", Shape{shape[-1], units_}, options_.kernel_initializer,
                         options_.kernel_regularizer, options_.kernel_constraint);
    if (options_.use_bias) {
      bias_ = add_weight("bias", Shape{units_}, options_.bias_initializer,
                         options_.bias_regularizer, options_.bias_constraint);
    }
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    return {forward(inputs)};
  }

  void call_into(const std::vector<Tensor>& inputs, const CallContext&,
                 std::vector<Tensor>& outputs) override {
    outputs.resize(1);
    outputs[0] = forward(inputs);
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_last_dim(input_shapes[0]);
    return {input_shapes[0].with_dim(-1, units_)};
  }

  // One kernel contracts the last axis; every other axis is a position
  // where the same kernel and bias are used.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> x = detail::axis_names(in, {"c"});
    std::vector<std::string> y = x;
    y.back() = "u";
    std::string sum = "sum_c " + detail::indexed("x", x) + " * kernel[c,u]";
    if (options_.use_bias) sum += " + bias[u]";
    w.formula(detail::indexed("y", y) + " = " + detail::activated(activation_, sum));
    std::string what =
        "contracts the last axis (" + detail::dim(in[-1]) + " -> " + std::to_string(units_) + ")";
    const std::string shared = detail::shared_over_positions("kernel", in);
    if (!shared.empty()) what += "; " + shared;
    w.note(what);
    if (activation_ == "softmax") {
      w.note("softmax normalises over u: the " + std::to_string(units_) + " outputs of each " +
             (in.rank() > 2 ? "position" : "sample") + " sum to 1");
    }
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("units", units_)
        .set("activation", activation_)
        .set("use_bias", options_.use_bias)
        .initializer("kernel_initializer", options_.kernel_initializer)
        .initializer("bias_initializer", options_.bias_initializer)
        .regularizer("kernel_regularizer", options_.kernel_regularizer)
        .regularizer("bias_regularizer", options_.bias_regularizer)
        .constraint("kernel_constraint", options_.kernel_constraint)
        .constraint("bias_constraint", options_.bias_constraint)
        .set("quantization_config", nullptr);
  }

 private:
  Tensor forward(const std::vector<Tensor>& inputs) const {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_last_dim(x.shape());
    const Tensor bias = bias_.defined() ? like_input(bias_.value(), x) : Tensor();
    return ops::dense(x, like_input(kernel_.value(), x), bias, activation_);
  }

  void check_rank(const Shape& shape) const {
    if (shape.rank() < 2) {
      throw Error(describe() +
                  " expects inputs of rank 2 or more (batch, ..., features), got "
                  "shape " +
                  shape.to_string() +
                  ". Each sample needs a feature axis: for one number per sample use "
                  "keras::Input({1}), or add Reshape({1}) first.");
    }
  }

  // Keras' InputSpec(min_ndim=2, axes={-1: in}) once built.
  void check_last_dim(const Shape& shape) const {
    check_rank(shape);
    if (!kernel_.defined()) return;
    const std::int64_t expected = kernel_.shape()[0];
    if (shape[-1] == expected || shape[-1] == None) return;
    std::string message = describe() + " expects inputs whose last dimension is " +
                          std::to_string(expected) + ", got shape " + shape.to_string() + ".";
    // A common confusion: the input holds exactly `expected` values per sample,
    // spread over several axes, and the user meant Dense to see them all.
    const Shape per_sample = shape.without_batch();
    if (per_sample.rank() > 1 && per_sample.is_fully_defined() &&
        per_sample.num_elements() == expected) {
      message += " Dense contracts only the last axis; add Flatten() first to mix all axes.";
    }
    throw Error(message);
  }

  std::int64_t units_;
  std::string activation_;
  DenseOptions options_;
  Variable kernel_;
  Variable bias_;
};

}  // namespace

Dense::Dense(std::int64_t units, DenseOptions options) {
  if (units <= 0) {
    throw Error(
        "Dense: received an invalid value for `units`, expected a positive integer. "
        "Received: units=" +
        std::to_string(units) + ".");
  }
  activations::get(options.activation);  // an unknown name fails here, listing the known ones
  impl_ = std::make_shared<DenseImpl>(units, std::move(options));
}

std::shared_ptr<LayerImpl> dense_from_config(const LayerConfig& c) {
  const auto common = c.common();
  for (const char* unsupported : {"lora_rank", "quantization_config"}) {
    c.require_null(unsupported);
  }
  const std::int64_t units = c.integer("units");
  return Dense(units, {.activation = c.activation("activation"),
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
