// BasePooling and BaseGlobalPooling (keras/src/layers/pooling/base_pooling.py,
// base_global_pooling.py, global_average_pooling1d.py).
#include "layers/base_pooling.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class PoolingImpl : public LayerImpl {
 public:
  explicit PoolingImpl(PoolingArgs args)
      : LayerImpl(args.class_name, args.name, args.trainable), args_(std::move(args)) {}

  // The window's largest value or mean, each channel on its own.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const bool channels_first = args_.pool.data_format == "channels_first";
    const WindowIndices ix =
        window_indices(in, w.output(), args_.rank, channels_first, args_.pool.pool_size,
                       args_.pool.strides, {1}, args_.pool.padding, "c", "c");
    const bool max = args_.mode == PoolMode::max;
    w.formula(detail::indexed("y", ix.output) + " = " + (max ? "max" : "mean") + "_{" +
              detail::joined(ix.window) + "} " + detail::indexed("x", ix.input));
    const int first = channels_first ? 2 : 1;
    w.note(std::string("takes the ") + (max ? "largest value" : "mean") + " of each window of " +
           ix.sizes + stride_phrase(args_.pool.strides) +
           ", each channel on its own: " + detail::grid(in, first, first + args_.rank) + " -> " +
           ix.positions + " positions; no weights");
    const std::string pad =
        padding_note(args_.pool.padding, max ? "window positions outside the input are ignored"
                                             : "the mean counts only positions inside the input");
    if (!pad.empty()) w.note(pad);
  }

  // Keras' BasePooling.get_config; it has no build(), hence no build_config.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("pool_size", args_.pool.pool_size)
        .set("padding", args_.pool.padding)
        .set("strides", args_.pool.strides)
        .set("data_format", args_.pool.data_format)
        .without_build_config();
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_rank(inputs[0].shape());
    return {args_.mode == PoolMode::max ? ops::max_pool_nd(describe(), inputs[0], args_.pool)
                                        : ops::average_pool_nd(describe(), inputs[0], args_.pool)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_rank(input_shapes[0]);
    return {ops::pool_output_shape(describe(), input_shapes[0], args_.pool)};
  }

 private:
  void check_rank(const Shape& shape) const {
    check_spatial_rank(*this, shape, args_.rank, args_.pool.data_format == "channels_first");
  }

  PoolingArgs args_;
};

class GlobalPoolingImpl : public LayerImpl {
 public:
  GlobalPoolingImpl(const std::string& class_name, int rank, PoolMode mode, bool channels_first,
                    bool keepdims, const std::string& name, bool trainable)
      : LayerImpl(class_name, name, trainable),
        rank_(rank),
        mode_(mode),
        channels_first_(channels_first),
        keepdims_(keepdims) {}

  // The mean or maximum over every position, each channel on its own.
  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> spatial =
        rank_ == 1 ? std::vector<std::string>{"t"} : std::vector<std::string>{"h", "w"};
    std::vector<std::string> x{"b"};
    std::vector<std::string> y{"b"};
    if (channels_first_) x.push_back("c");
    if (channels_first_ && keepdims_) y.push_back("c");
    x.insert(x.end(), spatial.begin(), spatial.end());
    if (keepdims_) y.insert(y.end(), spatial.size(), "0");
    if (!channels_first_) x.push_back("c");
    if (!channels_first_ || !keepdims_) y.push_back("c");
    const bool max = mode_ == PoolMode::max;
    w.formula(detail::indexed("y", y) + " = " + (max ? "max" : "mean") + "_{" +
              detail::joined(spatial) + "} " + detail::indexed("x", x));
    const int first = channels_first_ ? 2 : 1;
    w.note(std::string("takes the ") + (max ? "largest value" : "mean") + " over all " +
           detail::positions(w.input(), first, first + rank_) +
           " of each channel; the position axes are gone" +
           (keepdims_ ? " (kept with size 1: keepdims)" : "") + "; no weights");
    if (supports_masking()) w.note("with a mask, only the unmasked steps count");
  }

  // Keras' BaseGlobalPooling.get_config; no build(), hence no build_config.
  // GlobalAveragePooling1D.call(inputs, mask=None) records mask=None.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("data_format", data_format_name(channels_first_))
        .set("keepdims", keepdims_)
        .without_build_config()
        .call_arguments({.mask = supports_masking()});
  }

  // Keras: only GlobalAveragePooling1D takes a mask (the mean of the unmasked
  // steps); no layer passes one on.
  bool supports_masking() const override { return rank_ == 1 && mode_ == PoolMode::average; }
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>&) const override {
    return std::vector<std::optional<Tensor>>(inputs.size());
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    check_single(*this, inputs.size());
    check_spatial_rank(*this, inputs[0].shape(), rank_, channels_first_);
    const Tensor x = to_compute_dtype(inputs[0]);
    std::vector<int> axes;
    for (int i = 0; i < rank_; ++i) axes.push_back(channels_first_ ? 2 + i : 1 + i);
    if (mode_ == PoolMode::max) return {ops::max(x, axes, keepdims_)};
    if (supports_masking() && !ctx.masks.empty() && ctx.masks[0]) {
      return {masked_mean(x, *ctx.masks[0], axes[0])};
    }
    return {ops::mean(x, axes, keepdims_)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& s = input_shapes[0];
    check_spatial_rank(*this, s, rank_, channels_first_);
    const std::int64_t channels = channels_first_ ? s[1] : s[-1];
    if (!keepdims_) return {Shape{s[0], channels}};
    std::vector<std::int64_t> dims{s[0]};
    if (channels_first_) dims.push_back(channels);
    for (int i = 0; i < rank_; ++i) dims.push_back(1);
    if (!channels_first_) dims.push_back(channels);
    return {Shape(dims)};
  }

 private:
  // sum(where(mask, x, 0)) / sum(mask) over the steps, as Keras.
  Tensor masked_mean(const Tensor& x, const Tensor& mask, int steps_axis) const {
    const Shape& ms = mask.shape();
    if (ms.rank() != 2 || ms[0] != x.shape()[0] || ms[1] != x.shape()[steps_axis]) {
      throw Error(describe() + " got a mask of shape " + ms.to_string() + " for inputs of shape " +
                  x.shape().to_string() + "; it must be (batch, steps).");
    }
    const Tensor keep = ops::expand_dims(ops::cast(mask, DType::bool_), channels_first_ ? 1 : 2);
    const Tensor kept = ops::where(keep, x, Tensor::scalar(0.0, x.dtype()));
    return ops::divide(ops::sum(kept, {steps_axis}, keepdims_),
                       ops::sum(ops::cast(keep, x.dtype()), {steps_axis}, keepdims_));
  }

  int rank_;
  PoolMode mode_;
  bool channels_first_;
  bool keepdims_;
};

}  // namespace

std::shared_ptr<LayerImpl> make_pooling(PoolingArgs args) {
  return std::make_shared<PoolingImpl>(std::move(args));
}

std::shared_ptr<LayerImpl> make_global_pooling(const std::string& class_name, int rank,
                                               PoolMode mode, const std::string& data_format,
                                               bool keepdims, const std::string& name,
                                               bool trainable) {
  const bool first = standardize_data_format(class_name, data_format) == "channels_first";
  return std::make_shared<GlobalPoolingImpl>(class_name, rank, mode, first, keepdims, name,
                                             trainable);
}

GlobalPoolingConfig global_pooling_config(const LayerConfig& c) {
  const auto common = c.common();
  return {c.string("data_format", "channels_last"), c.boolean("keepdims", false), common.name,
          common.trainable};
}

}  // namespace keras::layers
