// Activation (keras/src/layers/activations/activation.py).
#include "keras/layers/activation.hpp"

#include "keras/activations.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class ActivationImpl : public LayerImpl {
 public:
  ActivationImpl(const std::string& activation, const ActivationOptions& options)
      : LayerImpl("Activation", options.name, options.trainable),
        activation_(activations::get(activation)),
        activation_name_(activations::canonical_name(activation)) {
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    return {activation_(to_compute_dtype(inputs[0]))};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    w.formula(detail::indexed("y", x) + " = " +
              detail::activation_formula(activation_name_, "x", x));
    w.note(detail::activation_note(activation_name_, x) + "; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("activation", activation_name_);
  }

 private:
  activations::ActivationFn activation_;
  std::string activation_name_;
};

}  // namespace

Activation::Activation(const std::string& activation, ActivationOptions options)
    : Layer(std::make_shared<ActivationImpl>(activation, options)) {}

std::shared_ptr<LayerImpl> activation_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Activation(c.activation("activation"),
                    {.name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
