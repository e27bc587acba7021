// Masking (keras/src/layers/core/masking.py): mask = any(x != mask_value)
// over the last axis; output = where(mask, x, 0). No weights.
#include "keras/layers/masking.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "operations/operation.hpp"

namespace keras::layers {

namespace {

class MaskingImpl : public LayerImpl {
 public:
  explicit MaskingImpl(const MaskingOptions& options)
      : LayerImpl("Masking", options.name, options.trainable), mask_value_(options.mask_value) {}

  bool supports_masking() const override { return true; }

  // Marks the steps that hold only mask_value; the layers after it skip them.
  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    std::vector<std::string> other = x;
    other.back() += "'";
    const std::string v = detail::number(mask_value_);
    w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x) + " if any_" +
              other.back() + " " + detail::indexed("x", other) + " != " + v + " else 0");
    w.note("masks each position whose values all equal mask_value " + v +
           ": the layers after it (RNNs, losses) skip those steps; no weights");
  }

  // Keras' Masking has no build() of its own, hence no build_config.
  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("mask_value", mask_value_).without_build_config();
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor& x = inputs[0];
    check_rank(x.shape());
    const Tensor keep = keep_steps(x, /*keepdims=*/true);
    return {ops::where(keep, x, Tensor::scalar(0.0, x.dtype()))};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_rank(input_shapes[0]);
    return input_shapes;
  }

  // The input's own dtype: Keras' where(mask, inputs, 0) keeps it.
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    const DType d = input_dtypes.empty() ? DType::float32 : input_dtypes[0];
    return std::vector<DType>(num_outputs, d);
  }

  // Computed from the inputs alone; an incoming mask is replaced, as in Keras.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>&) const override {
    if (inputs.size() != 1) return {};
    return {keep_steps(inputs[0], /*keepdims=*/false)};
  }

  // On symbolic inputs: any(not_equal(inputs, mask_value), axis=-1), two
  // nodes of the graph (NotEqual, then Any), as Keras records them.
  std::vector<KerasTensor> compute_symbolic_mask(const std::vector<KerasTensor>& inputs,
                                                 const std::vector<KerasTensor>&) const override {
    if (inputs.size() != 1) return {};
    check_rank(inputs[0].shape());
    return {operations::any(operations::not_equal(inputs[0], mask_value_), -1, false)};
  }

 private:
  void check_rank(const Shape& shape) const {
    if (shape.rank() < 1) {
      throw Error(describe() + " needs inputs with a features axis, got shape " +
                  shape.to_string() + ".");
    }
  }

  // any(x != mask_value, axis=-1): true for the steps that hold data.
  Tensor keep_steps(const Tensor& x, bool keepdims) const {
    check_rank(x.shape());
    if (x.shape()[-1] == 0) {  // any() of nothing is false
      const Shape kept = keepdims ? x.shape().with_dim(-1, 1) : x.shape().slice(0, x.rank() - 1);
      return Tensor::zeros(kept, DType::bool_);
    }
    const Tensor differs = ops::not_equal(x, Tensor::scalar(mask_value_, x.dtype()));
    return ops::max(differs, {-1}, keepdims).astype(DType::bool_);
  }

  double mask_value_;
};

}  // namespace

Masking::Masking(MaskingOptions options) { impl_ = std::make_shared<MaskingImpl>(options); }

std::shared_ptr<LayerImpl> masking_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Masking({.mask_value = c.number("mask_value", 0.0),
                  .name = common.name,
                  .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
