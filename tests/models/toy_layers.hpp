#pragma once
// Tiny layers, written with plain loops, for testing the graph machinery
// independently of the real layers.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace toy {

// y = x * scale + shift, element-wise; one weight of shape (1,) (the scale)
// and one non-trainable weight (the shift). Records what it was called with.
class AffineImpl : public keras::LayerImpl {
 public:
  explicit AffineImpl(const std::string& name = "") : LayerImpl("Affine", name) {}
  void build(const std::vector<keras::Shape>&) override {
    scale = add_weight("scale", {1}, "ones");
    shift = add_weight("shift", {1}, "zeros", /*trainable=*/false);
  }
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext& ctx) override {
    batch_sizes.push_back(inputs[0].shape()[0]);
    input_dtypes.push_back(inputs[0].dtype());
    last_masks = ctx.masks;
    const float a = scale.value().to_vector<float>()[0];
    const float b = shift.value().to_vector<float>()[0];
    const auto x = inputs[0].astype(keras::DType::float32).to_vector<float>();
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] * a + b;
    return {keras::Tensor(inputs[0].shape(), y)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
  bool supports_masking() const override { return true; }

  keras::Variable scale;
  keras::Variable shift;
  std::vector<std::int64_t> batch_sizes;
  std::vector<keras::DType> input_dtypes;
  std::vector<std::optional<keras::Tensor>> last_masks;
};

class Affine : public keras::Layer {
 public:
  explicit Affine(const std::string& name = "") : Layer(std::make_shared<AffineImpl>(name)) {}
  AffineImpl& state() const { return static_cast<AffineImpl&>(impl()); }
};

// Element-wise sum of any number of inputs of one shape.
class SumImpl : public keras::LayerImpl {
 public:
  SumImpl() : LayerImpl("Sum") {}
  int num_inputs() const override { return -1; }
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    auto y = inputs[0].to_vector<float>();
    for (std::size_t k = 1; k < inputs.size(); ++k) {
      const auto x = inputs[k].to_vector<float>();
      for (std::size_t i = 0; i < y.size(); ++i) y[i] += x[i];
    }
    return {keras::Tensor(inputs[0].shape(), y)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    for (const auto& shape : s) {
      if (shape != s[0]) {
        throw keras::Error(describe() + " needs inputs of one shape, got " + s[0].to_string() +
                           " and " + shape.to_string() + ".");
      }
    }
    return {s[0]};
  }
};

class Sum : public keras::Layer {
 public:
  Sum() : Layer(std::make_shared<SumImpl>()) {}
};

// Two outputs: x and -x.
class SplitImpl : public keras::LayerImpl {
 public:
  SplitImpl() : LayerImpl("Split") {}
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    auto y = inputs[0].to_vector<float>();
    for (auto& v : y) v = -v;
    return {inputs[0], keras::Tensor(inputs[0].shape(), y)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return {s[0], s[0]};
  }
};

class Split : public keras::Layer {
 public:
  Split() : Layer(std::make_shared<SplitImpl>()) {}
};

// Passes x on and makes the mask x != 0 (reduced over the last axis), as
// Embedding(mask_zero=True) does for its indices.
class MaskZeroImpl : public keras::LayerImpl {
 public:
  MaskZeroImpl() : LayerImpl("MaskZero") {}
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    return inputs;
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
  std::vector<std::optional<keras::Tensor>> compute_mask(
      const std::vector<keras::Tensor>& inputs,
      const std::vector<std::optional<keras::Tensor>>&) const override {
    const keras::Tensor& x = inputs[0];
    const std::int64_t last = x.shape()[-1];
    const auto v = x.to_vector<float>();
    std::vector<bool> mask(v.size() / last);
    for (std::size_t r = 0; r < mask.size(); ++r) {
      bool any = false;
      for (std::int64_t c = 0; c < last; ++c) any = any || v[r * last + c] != 0.0f;
      mask[r] = any;
    }
    return {keras::Tensor(x.shape().slice(0, x.rank() - 1), mask)};
  }
};

class MaskZero : public keras::Layer {
 public:
  MaskZero() : Layer(std::make_shared<MaskZeroImpl>()) {}
};

}  // namespace toy
