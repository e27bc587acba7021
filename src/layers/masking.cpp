// Masking (keras/src/layers/core/masking.py): mask = any(x != mask_value)
// over the last axis; output = where(mask, x, 0). No weights.
#include "keras/layers/masking.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class MaskingImpl : public LayerImpl {
 public:
  explicit MaskingImpl(const MaskingOptions& options)
      : LayerImpl("Masking", options.name, options.trainable), mask_value_(options.mask_value) {}

  bool supports_masking() const override { return true; }

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
