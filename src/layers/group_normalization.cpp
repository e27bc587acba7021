// GroupNormalization (keras/src/layers/normalization/group_normalization.py)
// on the fused kernels of ops/normalization.hpp: the input (B, S1..., C, S2...)
// is viewed as (A=B, N=S1, G=groups, M1=C/groups, M2=S2) with statistics per
// (sample, group) and parameters per channel.
#include "keras/layers/group_normalization.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/normalization.hpp"

namespace keras::layers {

namespace {

class GroupNormalizationImpl : public LayerImpl {
 public:
  explicit GroupNormalizationImpl(GroupNormalizationOptions options)
      : LayerImpl("GroupNormalization", options.name, options.trainable),
        options_(std::move(options)),
        groups_(options_.groups) {}

  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    const int axis = channel_axis(shape);
    const std::int64_t dim = shape[axis];
    if (dim == None) {
      throw Error(describe() + ": axis " + std::to_string(options_.axis) +
                  " of input tensor should have a defined dimension but the layer received an "
                  "input with shape " +
                  shape.to_string() + ".");
    }
    if (groups_ == -1) groups_ = dim;
    if (dim < groups_) {
      throw Error(describe() + ": number of groups (" + std::to_string(groups_) +
                  ") cannot be more than the number of channels (" + std::to_string(dim) + ").");
    }
    if (dim % groups_ != 0) {
      throw Error(describe() + ": the number of channels (" + std::to_string(dim) +
                  ") must be a multiple of the number of groups (" + std::to_string(groups_) +
                  ").");
    }
    if (options_.scale) {
      gamma_ = add_weight("gamma", Shape{dim}, options_.gamma_initializer,
                          options_.gamma_regularizer, options_.gamma_constraint);
    }
    if (options_.center) {
      beta_ = add_weight("beta", Shape{dim}, options_.beta_initializer, options_.beta_regularizer,
                         options_.beta_constraint);
    }
    rank_ = shape.rank();
    channels_ = dim;
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const int axis = channel_axis(x.shape());
    ops::NormShape s;
    s.a = x.shape()[0];
    for (int i = 1; i < axis; ++i) s.n *= x.shape()[i];
    s.g = groups_;
    s.m1 = channels_ / groups_;
    for (int i = axis + 1; i < x.rank(); ++i) s.m2 *= x.shape()[i];
    s.pg = s.m1;
    s.pm = 1;
    const Tensor gamma = gamma_.defined() ? like_input(gamma_.value(), x) : Tensor();
    const Tensor beta = beta_.defined() ? like_input(beta_.value(), x) : Tensor();
    return {ops::normalize_with_moments(x, gamma, beta, s, options_.epsilon).y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_input(input_shapes[0]);
    return input_shapes;
  }

  // Per sample and group of channels: statistics over the group's channels
  // and every position.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const int axis = channel_axis(in);
    const std::vector<std::string> x = detail::channel_axes(in, axis);
    const std::string c = x[static_cast<std::size_t>(axis)];
    const std::int64_t channels = in[axis];
    const std::int64_t size = channels / groups_;
    std::string rhs = "(" + detail::indexed("x", x) + " - mean[b,g]) / sqrt(var[b,g] + " +
                      detail::number(options_.epsilon) + ")";
    if (options_.scale) rhs = "gamma[" + c + "] * " + rhs;
    if (options_.center) rhs += " + beta[" + c + "]";
    w.formula(detail::indexed("y", x) + " = " + rhs + ", g = " + c + " / " + std::to_string(size));
    const std::vector<std::string> positions = detail::without(x, {"b", c});
    w.note("splits the " + std::to_string(channels) + " channels into " + std::to_string(groups_) +
           " groups of " + std::to_string(size) +
           "; mean and var are taken for each sample b and group g over the group's channels" +
           (positions.empty() ? "" : " and " + detail::joined(positions, ", ")) +
           ", the same while training and at inference");
  }

  // Keras' get_config (groups = -1 becomes the channel count once built).
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("groups", groups_)
        .set("axis", options_.axis)
        .set("epsilon", options_.epsilon)
        .set("center", options_.center)
        .set("scale", options_.scale)
        .initializer("beta_initializer", options_.beta_initializer)
        .initializer("gamma_initializer", options_.gamma_initializer)
        .regularizer("beta_regularizer", options_.beta_regularizer)
        .regularizer("gamma_regularizer", options_.gamma_regularizer)
        .constraint("beta_constraint", options_.beta_constraint)
        .constraint("gamma_constraint", options_.gamma_constraint);
  }

 private:
  int channel_axis(const Shape& shape) const {
    const int axis = options_.axis;
    if (axis >= shape.rank() || axis < -shape.rank()) {
      throw Error(describe() + ": axis " + std::to_string(axis) +
                  " is out of bounds for input shape " + shape.to_string() +
                  ". Received: axis=" + std::to_string(axis));
    }
    const int a = axis < 0 ? axis + shape.rank() : axis;
    if (a == 0) {
      throw Error(describe() + " cannot take its groups along the batch axis (axis " +
                  std::to_string(axis) + " of input shape " + shape.to_string() + ").");
    }
    return a;
  }

  // Keras' InputSpec(ndim, axes={axis: channels}) once built.
  void check_input(const Shape& shape) const {
    const int axis = channel_axis(shape);
    if (rank_ == 0) return;
    if (shape.rank() != rank_) {
      throw Error(describe() + " is incompatible with its input: expected ndim=" +
                  std::to_string(rank_) + ", found ndim=" + std::to_string(shape.rank()) +
                  ". Full shape received: " + shape.to_string());
    }
    if (shape[axis] != None && shape[axis] != channels_) {
      throw Error(describe() + " is incompatible with its input: expected axis " +
                  std::to_string(options_.axis) + " of input shape to have value " +
                  std::to_string(channels_) + ", but received input with shape " +
                  shape.to_string());
    }
  }

  GroupNormalizationOptions options_;
  std::int64_t groups_;
  Variable gamma_, beta_;
  int rank_ = 0;
  std::int64_t channels_ = 0;
};

}  // namespace

GroupNormalization::GroupNormalization(GroupNormalizationOptions options) {
  if (options.groups <= 0 && options.groups != -1) {
    throw Error(
        "GroupNormalization: received an invalid value for argument `groups`, expected a "
        "positive integer (or `-1` for instance normalization). Received: groups=" +
        std::to_string(options.groups));
  }
  impl_ = std::make_shared<GroupNormalizationImpl>(std::move(options));
}

std::shared_ptr<LayerImpl> group_normalization_from_config(const LayerConfig& c) {
  const auto common = c.common();
  const std::int64_t groups = c.integer("groups", 32);
  const std::int64_t axis = c.integer("axis", -1);
  if (groups > (std::int64_t{1} << 30) || axis < -Shape::kMaxRank || axis >= Shape::kMaxRank) {
    throw Error(c.where(groups > (std::int64_t{1} << 30) ? "groups" : "axis") +
                " is out of range.");
  }
  return GroupNormalization({.groups = static_cast<int>(groups),
                             .axis = static_cast<int>(axis),
                             .epsilon = c.number("epsilon", 1e-3),
                             .center = c.boolean("center", true),
                             .scale = c.boolean("scale", true),
                             .beta_initializer = c.initializer("beta_initializer", "zeros"),
                             .gamma_initializer = c.initializer("gamma_initializer", "ones"),
                             .beta_regularizer = c.regularizer("beta_regularizer"),
                             .gamma_regularizer = c.regularizer("gamma_regularizer"),
                             .beta_constraint = c.constraint("beta_constraint"),
                             .gamma_constraint = c.constraint("gamma_constraint"),
                             .name = common.name,
                             .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
