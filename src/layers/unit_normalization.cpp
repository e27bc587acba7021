// UnitNormalization (keras/src/layers/normalization/unit_normalization.py):
// keras.ops.normalize(x, axis, order=2, epsilon=1e-12), fused.
#include "keras/layers/unit_normalization.hpp"

#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/normalization.hpp"

namespace keras::layers {

namespace {

constexpr double kEpsilon = 1e-12;

class UnitNormalizationImpl : public LayerImpl {
 public:
  explicit UnitNormalizationImpl(UnitNormalizationOptions options)
      : LayerImpl("UnitNormalization", options.name, options.trainable),
        axis_(std::move(options.axis)) {
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    check_axes(x.shape());
    return {ops::l2_normalize(x, axis_, kEpsilon)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_axes(input_shapes[0]);
    return input_shapes;
  }

  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> x = detail::feature_axes(in);
    std::vector<std::string> other = x;
    std::vector<std::string> over, summed;
    for (int a : axis_) {
      const std::size_t k = static_cast<std::size_t>(a < 0 ? a + in.rank() : a);
      over.push_back(x[k]);
      other[k] += "'";
      summed.push_back(other[k]);
    }
    w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x) + " / sqrt(sum_" +
              detail::joined(summed) + " " + detail::indexed("x", other) + "^2)");
    w.note("divides each vector along " + detail::joined(over, ", ") +
           " by its length (L2 norm), so that it has length 1; no weights");
  }

  // Keras' get_config; built at construction, so no build_config.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("axis", axis_.size() == 1 ? detail::json(axis_[0]) : detail::json(axis_))
        .without_build_config();
  }

 private:
  void check_axes(const Shape& shape) const {
    for (int a : axis_) {
      if (a >= shape.rank() || a < -shape.rank()) {
        throw Error(describe() + ": axis " +
                    (axis_.size() == 1 ? std::to_string(axis_[0]) : format_dims(axis_)) +
                    " is out of bounds for input shape " + shape.to_string() + ".");
      }
    }
  }

  std::vector<int> axis_;
};

}  // namespace

UnitNormalization::UnitNormalization(UnitNormalizationOptions options) {
  if (options.axis.empty()) throw Error("UnitNormalization: `axis` must hold at least one axis.");
  impl_ = std::make_shared<UnitNormalizationImpl>(std::move(options));
}

std::shared_ptr<LayerImpl> unit_normalization_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return UnitNormalization(
             {.axis = c.axes("axis", {-1}), .name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
