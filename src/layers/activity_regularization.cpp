// ActivityRegularization (keras/src/layers/regularization/
// activity_regularization.py): the identity, with the layer's
// activity_regularizer set to L1L2(l1, l2); LayerImpl::apply adds the penalty.
#include "keras/layers/activity_regularization.hpp"

#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class ActivityRegularizationImpl : public LayerImpl {
 public:
  ActivityRegularizationImpl(double l1, double l2, const ActivityRegularizationOptions& options)
      : LayerImpl("ActivityRegularization", options.name, options.trainable), l1_(l1), l2_(l2) {
    set_activity_regularizer(regularizers::L1L2(l1, l2));
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    return {inputs[0]};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x));
    w.note("passes its input through unchanged; each call adds (" + detail::number(l1_) +
           " * sum |y| + " + detail::number(l2_) +
           " * sum y^2) / batch size to the loss; no weights");
  }

  // Keras' get_config drops the activity_regularizer it set and writes l1, l2.
  void write_config(detail::ConfigWriter& w) const override {
    w.base();
    w.config().erase("activity_regularizer");
    w.set("l1", l1_).set("l2", l2_).without_build_config();
  }

 private:
  double l1_, l2_;
};

}  // namespace

ActivityRegularization::ActivityRegularization(double l1, double l2,
                                               ActivityRegularizationOptions options) {
  regularizers::L1L2(l1, l2);  // validates the factors, naming them
  impl_ = std::make_shared<ActivityRegularizationImpl>(l1, l2, options);
}

std::shared_ptr<LayerImpl> activity_regularization_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return ActivityRegularization(c.number("l1", 0.0), c.number("l2", 0.0),
                                {.name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
