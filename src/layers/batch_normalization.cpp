// BatchNormalization (keras/src/layers/normalization/batch_normalization.py)
// on the fused kernels of ops/normalization.hpp: one pass for the batch
// statistics, one for the output, and a fused backward through the statistics.
#include "keras/layers/batch_normalization.hpp"

#include <algorithm>
#include <cmath>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/normalization.hpp"

namespace keras::layers {

namespace {

class BatchNormalizationImpl : public LayerImpl {
 public:
  explicit BatchNormalizationImpl(BatchNormalizationOptions options)
      : LayerImpl("BatchNormalization", options.name, options.trainable),
        options_(std::move(options)) {}

  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    const int axis = channel_axis(shape);
    if (shape[axis] == None) {
      throw Error(describe() + " needs to know the size of axis " + std::to_string(options_.axis) +
                  " (the channels) to create its weights, got input shape " + shape.to_string() +
                  ".");
    }
    const Shape param{shape[axis]};
    if (options_.scale) {
      gamma_ = add_weight("gamma", param, options_.gamma_initializer, options_.gamma_regularizer,
                          options_.gamma_constraint);
    }
    if (options_.center) {
      beta_ = add_weight("beta", param, options_.beta_initializer, options_.beta_regularizer,
                         options_.beta_constraint);
    }
    moving_mean_ = add_weight("moving_mean", param, options_.moving_mean_initializer, false);
    moving_variance_ =
        add_weight("moving_variance", param, options_.moving_variance_initializer, false);
    if (options_.renorm) {
      // sqrt of a fresh draw of the moving variance's initializer, as Keras.
      const initializers::Initializer variance_init = options_.moving_variance_initializer;
      const initializers::Initializer stddev_init(
          "MovingStddev", {},
          [variance_init](const Shape& s, DType d) { return ops::sqrt(variance_init(s, d)); });
      moving_stddev_ = add_weight("moving_stddev", param, stddev_init, false);
      renorm_mean_ = add_weight("renorm_mean", param, options_.moving_mean_initializer, false);
      renorm_stddev_ = add_weight("renorm_stddev", param, stddev_init, false);
    }
    rank_ = shape.rank();
    channels_ = shape[axis];
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_input(x.shape());
    const ops::NormShape layout = channel_layout(x.shape());
    const Tensor gamma = gamma_.defined() ? like_input(gamma_.value(), x) : Tensor();
    const Tensor beta = beta_.defined() ? like_input(beta_.value(), x) : Tensor();
    const double eps = options_.epsilon;
    if (!(ctx.training && trainable())) {
      return {ops::normalize_with_statistics(x, like_input(moving_mean_.value(), x),
                                             like_input(moving_variance_.value(), x), gamma, beta,
                                             layout, eps)};
    }
    const std::optional<Tensor> mask =
        ctx.masks.empty() || !ctx.masks[0] ? std::nullopt : std::optional<Tensor>(*ctx.masks[0]);
    if (options_.renorm) return {renormalized(x, gamma, beta, mask, layout)};
    if (mask) {
      const auto [mean, variance] = masked_moments(x, *mask);
      update_moving(moving_mean_, mean, options_.momentum);
      update_moving(moving_variance_, variance, options_.momentum);
      return {ops::normalize_with_statistics(x, mean, variance, gamma, beta, layout, eps)};
    }
    ops::Normalized out = ops::normalize_with_moments(x, gamma, beta, layout, eps);
    update_moving(moving_mean_, out.mean, options_.momentum);
    update_moving(moving_variance_, out.variance, options_.momentum);
    return {out.y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_input(input_shapes[0]);
    return input_shapes;
  }

  // Per channel: statistics over every other axis; the moving ones are not
  // trained but follow the batches' during training.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const int axis = channel_axis(in);
    const std::vector<std::string> x = detail::channel_axes(in, axis);
    const std::string c = x[static_cast<std::size_t>(axis)];
    std::string rhs = "(" + detail::indexed("x", x) + " - mean[" + c + "]) / sqrt(var[" + c +
                      "] + " + detail::number(options_.epsilon) + ")";
    if (options_.scale) rhs = "gamma[" + c + "] * " + rhs;
    if (options_.center) rhs += " + beta[" + c + "]";
    w.formula(detail::indexed("y", x) + " = " + rhs);
    w.note("normalises each of the " + detail::dim(in[axis]) + " channels (" + c + ") over " +
           detail::joined(detail::without(x, {c}), ", ") +
           ": while training, mean and var are the batch's; at inference, moving_mean and "
           "moving_variance");
    w.note(
        "moving_mean and moving_variance are not trained by the optimizer: each training "
        "step moves them towards the batch's statistics (momentum " +
        detail::number(options_.momentum) + "); they are saved with the weights");
  }

  // Keras' get_config, in its order; call() takes a mask.
  void write_config(detail::ConfigWriter& w) const override {
    detail::json clipping = nullptr;
    if (options_.renorm_clipping) {
      clipping = detail::json::object();
      if (options_.renorm_clipping->rmax) clipping["rmax"] = *options_.renorm_clipping->rmax;
      if (options_.renorm_clipping->rmin) clipping["rmin"] = *options_.renorm_clipping->rmin;
      if (options_.renorm_clipping->dmax) clipping["dmax"] = *options_.renorm_clipping->dmax;
    }
    w.base()
        .set("axis", options_.axis)
        .set("momentum", options_.momentum)
        .set("epsilon", options_.epsilon)
        .set("center", options_.center)
        .set("scale", options_.scale)
        .initializer("beta_initializer", options_.beta_initializer)
        .initializer("gamma_initializer", options_.gamma_initializer)
        .initializer("moving_mean_initializer", options_.moving_mean_initializer)
        .initializer("moving_variance_initializer", options_.moving_variance_initializer)
        .regularizer("beta_regularizer", options_.beta_regularizer)
        .regularizer("gamma_regularizer", options_.gamma_regularizer)
        .constraint("beta_constraint", options_.beta_constraint)
        .constraint("gamma_constraint", options_.gamma_constraint)
        .set("synchronized", options_.synchronized)
        .set("renorm", options_.renorm)
        .set("renorm_clipping", clipping)
        .set("renorm_momentum", options_.renorm_momentum)
        .call_arguments({.mask = true});
  }

 private:
  int channel_axis(const Shape& shape) const {
    if (options_.axis < -shape.rank() || options_.axis >= shape.rank()) {
      throw Error(describe() + ": axis " + std::to_string(options_.axis) +
                  " is out of bounds for input shape " + shape.to_string() +
                  ". Received: axis=" + std::to_string(options_.axis));
    }
    return options_.axis < 0 ? options_.axis + shape.rank() : options_.axis;
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

  // Per-channel statistics over every other axis: (N, C, M2) around the axis.
  ops::NormShape channel_layout(const Shape& shape) const {
    const int axis = channel_axis(shape);
    ops::NormShape s;
    for (int i = 0; i < axis; ++i) s.n *= shape[i];
    s.g = shape[axis];
    for (int i = axis + 1; i < shape.rank(); ++i) s.m2 *= shape[i];
    s.pg = 1;
    return s;
  }

  // moving = moving * momentum + batch * (1 - momentum), outside any tape.
  static void update_moving(Variable& moving, const Tensor& batch, double momentum) {
    const std::vector<double> b = batch.to_vector<double>();
    Tensor next = moving.value().clone();
    float* m = next.data<float>();
    const float keep = static_cast<float>(momentum);
    const float take = static_cast<float>(1.0 - momentum);
    for (std::size_t i = 0; i < b.size(); ++i) m[i] = m[i] * keep + static_cast<float>(b[i]) * take;
    moving.assign(next);
  }

  // Keras' _moments with a mask of the input's rank - 1 (one flag per
  // position, shared by its channels): the statistics of the kept positions.
  std::pair<Tensor, Tensor> masked_moments(const Tensor& x, const Tensor& mask) const {
    if (mask.rank() != x.rank() - 1) {
      throw Error(describe() +
                  ": the mask provided should be one dimension less than the inputs. "
                  "Received: mask.shape=" +
                  mask.shape().to_string() + ", inputs.shape=" + x.shape().to_string());
    }
    const int axis = channel_axis(x.shape());
    std::vector<int> reduction;
    for (int i = 0; i < x.rank(); ++i) {
      if (i != axis) reduction.push_back(i);
    }
    const Tensor keep =
        ops::broadcast_to(ops::expand_dims(ops::cast(mask, DType::bool_), -1), x.shape());
    const Tensor zero = Tensor::scalar(0.0, x.dtype());
    const Tensor weights = ops::sum(ops::cast(keep, x.dtype()), reduction, true);
    const Tensor denominator = ops::add(weights, 1e-7);  // + keras.backend.epsilon()
    const Tensor mean =
        ops::divide(ops::sum(ops::where(keep, x, zero), reduction, true), denominator);
    const Tensor difference = ops::where(keep, ops::subtract(x, mean), zero);
    const Tensor variance =
        ops::divide(ops::sum(ops::square(difference), reduction, true), denominator);
    const Shape flat{channels_};
    return {ops::reshape(mean, flat), ops::reshape(variance, flat)};
  }

  // Batch renormalization: the batch statistics, corrected towards the
  // renorm moving ones by r and d (constants for the gradient).
  Tensor renormalized(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                      const std::optional<Tensor>& mask, const ops::NormShape& layout) {
    const double eps = options_.epsilon;
    Tensor mean, variance;
    ops::Normalized batch;
    if (mask) {
      std::tie(mean, variance) = masked_moments(x, *mask);
    } else {
      // The moments alone, through the fused op (its y is not needed).
      batch = ops::normalize_with_moments(x, Tensor(), Tensor(), layout, eps);
      mean = batch.mean;
      variance = batch.variance;
    }
    const std::vector<double> m = mean.to_vector<double>();
    const std::vector<double> v = variance.to_vector<double>();
    const std::vector<double> rm = renorm_mean_.value().to_vector<double>();
    const std::vector<double> rs = renorm_stddev_.value().to_vector<double>();
    const RenormClipping clip = options_.renorm_clipping.value_or(RenormClipping{});
    std::vector<double> r(m.size()), d(m.size()), stddev(m.size());
    for (std::size_t c = 0; c < m.size(); ++c) {
      stddev[c] = std::sqrt(v[c] + eps);
      const double s = std::max(rs[c], std::sqrt(eps));
      r[c] = stddev[c] / s;
      d[c] = (m[c] - rm[c]) / s;
      if (clip.rmin) r[c] = std::max(r[c], *clip.rmin);
      if (clip.rmax) r[c] = std::min(r[c], *clip.rmax);
      if (clip.dmax) d[c] = std::clamp(d[c], -*clip.dmax, *clip.dmax);
    }
    const Shape flat{channels_};
    const Tensor r_t = Tensor(flat, r).astype(x.dtype());
    const Tensor d_t = Tensor(flat, d).astype(x.dtype());
    Tensor scale = gamma.defined() ? ops::multiply(r_t, gamma) : r_t;
    Tensor offset = gamma.defined() ? ops::multiply(d_t, gamma) : d_t;
    if (beta.defined()) offset = ops::add(offset, beta);

    // The renorm statistics, then the moving ones (the variance from the
    // moving standard deviation).
    const Tensor stddev_t = Tensor(flat, stddev);
    update_moving(renorm_mean_, mean, options_.renorm_momentum);
    update_moving(renorm_stddev_, stddev_t, options_.renorm_momentum);
    update_moving(moving_mean_, mean, options_.momentum);
    update_moving(moving_stddev_, stddev_t, options_.momentum);
    Tensor moving_variance = moving_stddev_.value().clone();
    float* mv = moving_variance.data<float>();
    for (std::int64_t c = 0; c < channels_; ++c) {
      mv[c] = std::max(mv[c] * mv[c] - static_cast<float>(eps), 0.0f);
    }
    moving_variance_.assign(moving_variance);
    return ops::normalize_with_statistics(x, mean, variance, scale, offset, layout, eps);
  }

  BatchNormalizationOptions options_;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
  Variable moving_stddev_, renorm_mean_, renorm_stddev_;
  int rank_ = 0;  // 0 until built
  std::int64_t channels_ = 0;
};

}  // namespace

BatchNormalization::BatchNormalization(BatchNormalizationOptions options) {
  if (options.renorm_clipping && options.renorm_clipping->rmax && options.renorm_clipping->rmin &&
      *options.renorm_clipping->rmax < *options.renorm_clipping->rmin) {
    throw Error(
        "BatchNormalization: rmax should be greater than rmin in the `renorm_clipping` "
        "argument.");
  }
  if (options.renorm_clipping && options.renorm_clipping->dmax &&
      *options.renorm_clipping->dmax < 0) {
    throw Error(
        "BatchNormalization: dmax should be non-negative in the `renorm_clipping` argument.");
  }
  impl_ = std::make_shared<BatchNormalizationImpl>(std::move(options));
}

std::shared_ptr<LayerImpl> batch_normalization_from_config(const LayerConfig& c) {
  const auto common = c.common();
  std::optional<RenormClipping> clipping;
  if (c.has("renorm_clipping")) {
    const json& value = c.object("renorm_clipping");
    RenormClipping clip;
    for (const auto& [key, v] : value.items()) {
      if (!v.is_null() && !v.is_number()) {
        throw Error(c.where("renorm_clipping") + " must map rmax, rmin, dmax to numbers.");
      }
      const std::optional<double> number =
          v.is_null() ? std::nullopt : std::optional<double>(v.get<double>());
      if (key == "rmax") {
        clip.rmax = number;
      } else if (key == "rmin") {
        clip.rmin = number;
      } else if (key == "dmax") {
        clip.dmax = number;
      } else {
        throw Error(c.where("renorm_clipping") + " has the unknown key \"" + key +
                    "\"; the keys are rmax, rmin and dmax.");
      }
    }
    clipping = clip;
  }
  // tf.keras files may hold the axis as a one-element list ([3]).
  std::int64_t axis = -1;
  if (c.has("axis")) {
    const std::vector<std::int64_t> axes = c.raw().at("axis").is_array()
                                               ? c.integers("axis")
                                               : std::vector<std::int64_t>{c.integer("axis")};
    if (axes.size() != 1) {
      throw Error(c.where("axis") +
                  " must be one axis; kerascpp's BatchNormalization "
                  "normalises along a single axis.");
    }
    axis = axes[0];
  }
  if (axis < -Shape::kMaxRank || axis >= Shape::kMaxRank) {
    throw Error(c.where("axis") + " is " + std::to_string(axis) + ", not an axis of a tensor.");
  }
  return BatchNormalization(
             {.axis = static_cast<int>(axis),
              .momentum = c.number("momentum", 0.99),
              .epsilon = c.number("epsilon", 1e-3),
              .center = c.boolean("center", true),
              .scale = c.boolean("scale", true),
              .beta_initializer = c.initializer("beta_initializer", "zeros"),
              .gamma_initializer = c.initializer("gamma_initializer", "ones"),
              .moving_mean_initializer = c.initializer("moving_mean_initializer", "zeros"),
              .moving_variance_initializer = c.initializer("moving_variance_initializer", "ones"),
              .beta_regularizer = c.regularizer("beta_regularizer"),
              .gamma_regularizer = c.regularizer("gamma_regularizer"),
              .beta_constraint = c.constraint("beta_constraint"),
              .gamma_constraint = c.constraint("gamma_constraint"),
              .renorm = c.boolean("renorm", false),
              .renorm_clipping = clipping,
              .renorm_momentum = c.number("renorm_momentum", 0.99),
              .synchronized = c.boolean("synchronized", false),
              .name = common.name,
              .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
