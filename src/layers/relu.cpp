// ReLU (keras/src/layers/activations/relu.py; the arithmetic follows
// keras.activations.relu, keras/src/activations/activations.py).
#include "keras/layers/relu.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class ReLUImpl : public LayerImpl {
 public:
  explicit ReLUImpl(const ReLUOptions& options)
      : LayerImpl("ReLU", options.name, options.trainable),
        max_value_(options.max_value),
        negative_slope_(options.negative_slope),
        threshold_(options.threshold) {
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    const std::string xi = detail::indexed("x", x);
    std::string rhs;
    if (negative_slope_ == 0 && threshold_ == 0) {
      rhs = "max(" + xi + ", 0)";
    } else {
      std::string below = "0";
      if (negative_slope_ != 0) {
        below = detail::number(negative_slope_) + " * " +
                (threshold_ == 0 ? xi : "(" + xi + " - " + detail::number(threshold_) + ")");
      }
      rhs = xi + " if " + xi + " >= " + detail::number(threshold_) + " else " + below;
    }
    if (max_value_) rhs = "min(" + rhs + ", " + detail::number(*max_value_) + ")";
    w.formula(detail::indexed("y", x) + " = " + rhs);
    w.note("applies relu to each value on its own; the shape does not change; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("max_value", max_value_ ? detail::json(*max_value_) : detail::json(nullptr))
        .set("negative_slope", negative_slope_)
        .set("threshold", threshold_);
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    return {relu(to_compute_dtype(inputs[0]))};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

 private:
  // The same steps as Keras' ReLU.static_call, so rounding matches.
  Tensor relu(Tensor x) const {
    if (negative_slope_ != 0.0 && !max_value_ && threshold_ == 0.0) {
      return ops::leaky_relu(x, negative_slope_);
    }
    Tensor negative_part;
    if (negative_slope_ != 0.0) {
      negative_part = threshold_ != 0.0 ? ops::relu(ops::add(ops::negative(x), threshold_))
                                        : ops::relu(ops::negative(x));
    }
    bool clip_max = max_value_.has_value();
    if (threshold_ != 0.0) {
      const Tensor above = ops::greater(x, Tensor::scalar(threshold_, x.dtype()));
      x = ops::where(above, x, Tensor::scalar(0.0, x.dtype()));
    } else if (max_value_ && *max_value_ == 6.0) {
      x = ops::relu6(x);
      clip_max = false;
    } else {
      x = ops::relu(x);
    }
    if (clip_max) x = ops::clip(x, 0.0, *max_value_);
    if (negative_slope_ != 0.0) x = ops::subtract(x, ops::multiply(negative_part, negative_slope_));
    return x;
  }

  std::optional<double> max_value_;
  double negative_slope_;
  double threshold_;
};

}  // namespace

ReLU::ReLU(ReLUOptions options) {
  if (options.max_value && *options.max_value < 0.0) {
    throw Error("ReLU: max_value cannot be negative. Received: max_value=" +
                std::to_string(*options.max_value) + ".");
  }
  if (options.negative_slope < 0.0) {
    throw Error("ReLU: negative_slope cannot be negative. Received: negative_slope=" +
                std::to_string(options.negative_slope) + ".");
  }
  if (options.threshold < 0.0) {
    throw Error("ReLU: threshold cannot be negative. Received: threshold=" +
                std::to_string(options.threshold) + ".");
  }
  impl_ = std::make_shared<ReLUImpl>(options);
}

std::shared_ptr<LayerImpl> relu_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return ReLU({.max_value = c.optional_number("max_value"),
               .negative_slope = c.number("negative_slope", 0.0),
               .threshold = c.number("threshold", 0.0),
               .name = common.name,
               .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
