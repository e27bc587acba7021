// LayerNormalization (keras/src/layers/normalization/layer_normalization.py,
// the formula of keras.ops.layer_normalization). Neighbouring axes run on the
// fused kernels of ops/normalization.hpp; other axis sets are composed of ops.
#include "keras/layers/layer_normalization.hpp"

#include <algorithm>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/normalization.hpp"

namespace keras::layers {

namespace {

class LayerNormalizationImpl : public LayerImpl {
 public:
  explicit LayerNormalizationImpl(LayerNormalizationOptions options)
      : LayerImpl("LayerNormalization", options.name, options.trainable),
        options_(std::move(options)) {}

  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    const std::vector<int> axes = normalized_axes(shape);
    std::vector<std::int64_t> dims;
    for (int a : axes) {
      if (shape[a] == None) {
        throw Error(describe() +
                    " needs to know the size of each normalised axis to create its "
                    "weights, got input shape " +
                    shape.to_string() + ".");
      }
      dims.push_back(shape[a]);
    }
    const Shape param(dims);
    if (options_.scale || options_.rms_scaling) {
      gamma_ = add_weight("gamma", param, options_.gamma_initializer, options_.gamma_regularizer,
                          options_.gamma_constraint);
    }
    if (options_.center && !options_.rms_scaling) {
      beta_ = add_weight("beta", param, options_.beta_initializer, options_.beta_regularizer,
                         options_.beta_constraint);
    }
    param_shape_ = param;
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    const std::vector<int> axes = normalized_axes(x.shape());
    check_built_dims(x.shape(), axes);
    const std::int64_t params = param_shape_.num_elements();
    const Tensor gamma =
        gamma_.defined() ? ops::reshape(like_input(gamma_.value(), x), Shape{params}) : Tensor();
    const Tensor beta =
        beta_.defined() ? ops::reshape(like_input(beta_.value(), x), Shape{params}) : Tensor();
    if (options_.rms_scaling) return {rms_scaled(x, axes, gamma)};
    const bool neighbours = axes.back() - axes.front() + 1 == static_cast<int>(axes.size());
    if (!neighbours) return {composed(x, axes, gamma, beta)};
    ops::NormShape s;
    for (int i = 0; i < axes.front(); ++i) s.a *= x.shape()[i];
    std::int64_t block = 1, inner = 1;
    for (int i = axes.front(); i <= axes.back(); ++i) block *= x.shape()[i];
    for (int i = axes.back() + 1; i < x.rank(); ++i) inner *= x.shape()[i];
    if (inner == 1) {  // the usual case: a contiguous block per sample
      s.m1 = block;
      s.pm = 1;
    } else {  // statistics per (sample, inner position) over the block
      s.n = block;
      s.g = inner;
      s.pn = 1;
    }
    return {ops::normalize_with_moments(x, gamma, beta, s, options_.epsilon).y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    normalized_axes(input_shapes[0]);
    return input_shapes;
  }

  // Per sample (and position): statistics over the normalised axes only.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> x = detail::feature_axes(in);
    std::vector<std::string> over;
    for (int a : normalized_axes(in)) over.push_back(x[static_cast<std::size_t>(a)]);
    const std::vector<std::string> each = detail::without(x, over);
    const std::string eps = detail::number(options_.epsilon);
    std::string rhs;
    if (options_.rms_scaling) {
      rhs = "gamma[" + detail::joined(over) + "] * " + detail::indexed("x", x) + " / sqrt(" +
            detail::indexed("ms", each) + " + " + eps + ")";
    } else {
      rhs = "(" + detail::indexed("x", x) + " - " + detail::indexed("mean", each) + ") / sqrt(" +
            detail::indexed("var", each) + " + " + eps + ")";
      if (options_.scale) rhs = "gamma[" + detail::joined(over) + "] * " + rhs;
      if (options_.center) rhs += " + beta[" + detail::joined(over) + "]";
    }
    w.formula(detail::indexed("y", x) + " = " + rhs);
    w.note(std::string(options_.rms_scaling ? "ms is the mean of x^2" : "mean and var are") +
           " taken over " + detail::joined(over, ", ") + " for each " + detail::joined(each, ", ") +
           " on its own, the same while training and at inference");
  }

  // Keras' get_config: once built, the axis is the sorted list Keras keeps.
  void write_config(detail::ConfigWriter& w) const override {
    detail::json axis;
    if (!built() && options_.axis.size() == 1) {
      axis = options_.axis[0];
    } else {
      std::vector<int> sorted = options_.axis;
      std::sort(sorted.begin(), sorted.end());
      axis = sorted;
    }
    w.base()
        .set("axis", axis)
        .set("epsilon", options_.epsilon)
        .set("center", options_.center)
        .set("scale", options_.scale)
        .set("rms_scaling", options_.rms_scaling)
        .initializer("beta_initializer", options_.beta_initializer)
        .initializer("gamma_initializer", options_.gamma_initializer)
        .regularizer("beta_regularizer", options_.beta_regularizer)
        .regularizer("gamma_regularizer", options_.gamma_regularizer)
        .constraint("beta_constraint", options_.beta_constraint)
        .constraint("gamma_constraint", options_.gamma_constraint);
  }

 private:
  // The axes as non-negative indices, sorted; throws naming the axis when out
  // of range (Keras' compute_output_shape message).
  std::vector<int> normalized_axes(const Shape& shape) const {
    std::vector<int> axes;
    for (int a : options_.axis) {
      if (a >= shape.rank() || a < -shape.rank()) {
        throw Error(describe() + ": axis " + std::to_string(a) +
                    " is out of bounds for input shape " + shape.to_string() +
                    ". Received: axis=" + format_dims(options_.axis));
      }
      axes.push_back(a < 0 ? a + shape.rank() : a);
    }
    std::sort(axes.begin(), axes.end());
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
      throw Error(describe() +
                  " was given the same axis twice: axis=" + format_dims(options_.axis) + ".");
    }
    return axes;
  }

  void check_built_dims(const Shape& shape, const std::vector<int>& axes) const {
    std::vector<std::int64_t> dims;
    for (int a : axes) dims.push_back(shape[a]);
    if (Shape(dims) != param_shape_) {
      throw Error(describe() + " was built for normalised axes of sizes " +
                  param_shape_.to_string() + ", but its input has shape " + shape.to_string() +
                  ".");
    }
  }

  // gamma or beta (flat) shaped to broadcast against x along the axes.
  static Tensor broadcastable(const Tensor& p, const Shape& x, const std::vector<int>& axes) {
    std::vector<std::int64_t> dims(static_cast<std::size_t>(x.rank()), 1);
    for (int a : axes) dims[static_cast<std::size_t>(a)] = x[a];
    return ops::reshape(p, Shape(dims));
  }

  // keras.ops.layer_normalization for axes that are not neighbours.
  Tensor composed(const Tensor& x, const std::vector<int>& axes, const Tensor& gamma,
                  const Tensor& beta) const {
    const Tensor mean = ops::mean(x, axes, true);
    const Tensor variance = ops::var(x, axes, true);
    Tensor inv = ops::rsqrt(ops::add(variance, options_.epsilon));
    if (gamma.defined()) inv = ops::multiply(inv, broadcastable(gamma, x.shape(), axes));
    Tensor res = ops::multiply(ops::negative(mean), inv);
    if (beta.defined()) res = ops::add(res, broadcastable(beta, x.shape(), axes));
    return ops::add(ops::multiply(x, inv), res);
  }

  // Keras' rms_scaling branch: x * rsqrt(var(x) + epsilon) * gamma.
  Tensor rms_scaled(const Tensor& x, const std::vector<int>& axes, const Tensor& gamma) const {
    const Tensor inv = ops::rsqrt(ops::add(ops::var(x, axes, true), options_.epsilon));
    Tensor y = ops::multiply(x, inv);
    if (gamma.defined()) y = ops::multiply(y, broadcastable(gamma, x.shape(), axes));
    return y;
  }

  LayerNormalizationOptions options_;
  Variable gamma_, beta_;
  Shape param_shape_;
};

}  // namespace

LayerNormalization::LayerNormalization(LayerNormalizationOptions options) {
  if (options.axis.empty()) {
    throw Error("LayerNormalization: `axis` must hold at least one axis.");
  }
  impl_ = std::make_shared<LayerNormalizationImpl>(std::move(options));
}

std::shared_ptr<LayerImpl> layer_normalization_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return LayerNormalization({.axis = c.axes("axis", {-1}),
                             .epsilon = c.number("epsilon", 1e-3),
                             .center = c.boolean("center", true),
                             .scale = c.boolean("scale", true),
                             .beta_initializer = c.initializer("beta_initializer", "zeros"),
                             .gamma_initializer = c.initializer("gamma_initializer", "ones"),
                             .beta_regularizer = c.regularizer("beta_regularizer"),
                             .gamma_regularizer = c.regularizer("gamma_regularizer"),
                             .beta_constraint = c.constraint("beta_constraint"),
                             .gamma_constraint = c.constraint("gamma_constraint"),
                             .rms_scaling = c.boolean("rms_scaling", false),
                             .name = common.name,
                             .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
