// Softmax (keras/src/layers/activations/softmax.py).
#include "keras/layers/softmax.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

// What masked positions hold before the softmax, so exp() makes them ~0.
constexpr double kLargeNegative = -1e9;

class SoftmaxImpl : public LayerImpl {
 public:
  explicit SoftmaxImpl(const SoftmaxOptions& options)
      : LayerImpl("Softmax", options.name, options.trainable), axis_(options.axis) {
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> x = detail::feature_axes(in);
    std::vector<std::string> other = x;
    std::vector<std::string> over;
    std::vector<std::string> summed;
    for (int a : axis_) {
      const std::size_t k = static_cast<std::size_t>(a < 0 ? a + in.rank() : a);
      over.push_back(x[k]);
      other[k] += "'";
      summed.push_back(other[k]);
    }
    w.formula(detail::indexed("y", x) + " = exp(" + detail::indexed("x", x) + ") / sum_" +
              detail::joined(summed) + " exp(" + detail::indexed("x", other) + ")");
    w.note("normalises along " + detail::joined(over, ", ") +
           ": the values there sum to 1; masked positions, if any, get 0; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    // Keras' Softmax.call(inputs, mask=None).
    w.base()
        .set("axis", axis_.size() == 1 ? detail::json(axis_[0]) : detail::json(axis_))
        .call_arguments({.mask = true});
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    check_single(*this, inputs.size());
    Tensor x = to_compute_dtype(inputs[0]);
    check_axes(x.shape());
    std::optional<Tensor> mask;
    if (!ctx.masks.empty() && ctx.masks[0]) mask = as_bool(*ctx.masks[0], x.shape());
    if (mask) x = ops::where(*mask, x, Tensor::scalar(kLargeNegative, x.dtype()));
    Tensor y = axis_.size() == 1
                   ? ops::softmax(x, axis_[0])
                   : ops::exp(ops::subtract(x, ops::logsumexp(x, axis_, /*keepdims=*/true)));
    if (mask) y = ops::where(*mask, y, Tensor::scalar(0.0, y.dtype()));
    return {y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_axes(input_shapes[0]);
    return input_shapes;
  }

 private:
  void check_axes(const Shape& shape) const {
    for (int a : axis_) {
      if (a < -shape.rank() || a >= shape.rank()) {
        throw Error(describe() + " normalises over axis " + std::to_string(a) +
                    ", which inputs of shape " + shape.to_string() + " do not have.");
      }
    }
  }

  // Keras: the mask must broadcast to the inputs; a non-bool mask counts
  // values > 0.5 as kept.
  Tensor as_bool(const Tensor& mask, const Shape& input) const {
    bool fits = mask.rank() <= input.rank();
    for (int i = 1; fits && i <= mask.rank(); ++i) {
      fits = mask.shape()[-i] == 1 || mask.shape()[-i] == input[-i];
    }
    if (!fits) {
      throw Error(describe() + " got a mask of shape " + mask.shape().to_string() +
                  " that does not broadcast to its input shape " + input.to_string() + ".");
    }
    if (mask.dtype() == DType::bool_) return mask;
    return ops::greater(mask, Tensor::scalar(0.5, mask.dtype()));
  }

  std::vector<int> axis_;
};

}  // namespace

Softmax::Softmax(SoftmaxOptions options) {
  if (options.axis.empty()) throw Error("Softmax: axis must name at least one axis.");
  impl_ = std::make_shared<SoftmaxImpl>(options);
}

std::shared_ptr<LayerImpl> softmax_from_config(const LayerConfig& c) {
  const auto common = c.common();
  std::vector<int> axis = {-1};
  if (c.has("axis")) {
    const json& value = c.raw().at("axis");
    // An int, or a list of ints as Keras also accepts.
    std::vector<std::int64_t> axes =
        value.is_array() ? c.integers("axis") : std::vector<std::int64_t>{c.integer("axis")};
    axis.clear();
    for (std::int64_t a : axes) {
      if (a < -Shape::kMaxRank || a >= Shape::kMaxRank) {
        throw Error(c.where("axis") + " holds " + std::to_string(a) +
                    ", which is not an axis of a tensor kerascpp supports.");
      }
      axis.push_back(static_cast<int>(a));
    }
  }
  return Softmax({.axis = axis, .name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
