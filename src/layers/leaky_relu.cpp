// LeakyReLU (keras/src/layers/activations/leaky_relu.py).
#include "keras/layers/leaky_relu.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class LeakyReLUImpl : public LayerImpl {
 public:
  explicit LeakyReLUImpl(const LeakyReLUOptions& options)
      : LayerImpl("LeakyReLU", options.name, options.trainable),
        negative_slope_(options.negative_slope) {
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    const std::string xi = detail::indexed("x", x);
    w.formula(detail::indexed("y", x) + " = " + xi + " if " + xi + " >= 0 else " +
              detail::number(negative_slope_) + " * " + xi);
    w.note("applies leaky relu to each value on its own; the shape does not change; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("negative_slope", negative_slope_);
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    return {ops::leaky_relu(to_compute_dtype(inputs[0]), negative_slope_)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

 private:
  double negative_slope_;
};

}  // namespace

LeakyReLU::LeakyReLU(LeakyReLUOptions options) {
  if (!(options.negative_slope >= 0.0)) {
    throw Error("LeakyReLU: negative_slope cannot be negative. Received: negative_slope=" +
                std::to_string(options.negative_slope) + ".");
  }
  impl_ = std::make_shared<LeakyReLUImpl>(options);
}

std::shared_ptr<LayerImpl> leaky_relu_from_config(const LayerConfig& c) {
  const auto common = c.common();
  // Keras 2 configs call the slope "alpha".
  const char* field = c.has("negative_slope") || !c.has("alpha") ? "negative_slope" : "alpha";
  return LeakyReLU({.negative_slope = c.number(field, 0.3),
                    .name = common.name,
                    .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
