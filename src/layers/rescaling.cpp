// Rescaling (keras/src/layers/preprocessing/rescaling.py).
#include "keras/layers/rescaling.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/elementwise_ops.hpp"

namespace keras::layers {

namespace {

class RescalingImpl : public LayerImpl {
 public:
  RescalingImpl(double scale, const RescalingOptions& options)
      : LayerImpl("Rescaling", options.name, options.trainable),
        scale_(scale),
        offset_(options.offset) {}

  bool supports_masking() const override { return true; }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    std::string rhs = detail::indexed("x", x) + " * " + detail::number(scale_);
    if (offset_ > 0) rhs += " + " + detail::number(offset_);
    if (offset_ < 0) rhs += " - " + detail::number(-offset_);
    w.formula(detail::indexed("y", x) + " = " + rhs);
    w.note("the same scale and offset for every value; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("scale", scale_).set("offset", offset_);
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    const DType t = x.dtype();
    if (offset_ != 0.0 || (t != DType::float32 && t != DType::float64)) {
      return {ops::add(ops::multiply(x, scale_), offset_)};
    }
    // Keras computes x * scale + offset, two roundings. Adding an offset of
    // 0 is exact (an FMA rounds x * scale + 0 once too), so one pass gives
    // the same values with half the memory traffic of two ops (an MLP step
    // rescales 128 images).
    const double s = scale_;
    Tensor y = ops::detail::map_float("rescaling", x, 1, [s](auto v) {
      using T = decltype(v);
      return v * T(s) + T(0);
    });
    ops::detail::record_unary(x, y, 1, [s](auto g, auto, auto) { return g * decltype(g)(s); });
    return {y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

 private:
  double scale_;
  double offset_;
};

}  // namespace

Rescaling::Rescaling(double scale, RescalingOptions options)
    : Layer(std::make_shared<RescalingImpl>(scale, options)) {}

std::shared_ptr<LayerImpl> rescaling_from_config(const LayerConfig& c) {
  const auto common = c.common();
  for (const char* field : {"scale", "offset"}) {
    if (c.has(field) && !c.raw().at(field).is_number()) {
      throw Error(c.where(field) + " must be a number; per-channel lists are not supported yet.");
    }
  }
  return Rescaling(c.number("scale"), {.offset = c.number("offset", 0.0),
                                       .name = common.name,
                                       .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
