#pragma once
// keras::Input and InputLayer: the entry point of a model. Input(shape) gives a
// symbolic tensor of shape (None,) + shape (the batch dimension unknown).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras {

struct InputOptions {
  std::optional<std::int64_t> batch_size;  // None by default
  std::string dtype = "float32";
  std::string name;  // empty: input_layer, input_layer_1, ...
};

// A symbolic tensor fed by a new InputLayer, as keras.Input.
KerasTensor Input(const Shape& shape, InputOptions options = {});

namespace layers {

// The state behind an InputLayer: its batch shape and dtype, and the one
// input-less node whose output is the tensor it feeds.
class InputLayerImpl : public LayerImpl {
 public:
  InputLayerImpl(const Shape& batch_shape, DType dtype, const std::string& name = "");

  const Shape& batch_shape() const { return batch_shape_; }
  DType dtype() const { return dtype_; }
  // The symbolic tensor this layer feeds (always the output of node 0).
  KerasTensor output();

  // An InputLayer passes its input on unchanged.
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override;
  void write_config(detail::ConfigWriter& writer) const override;
  void explain(detail::ExplainWriter& writer) const override;

 private:
  Shape batch_shape_;
  DType dtype_;
  // Weak: the node owns this layer, and the tensors handed out own the node.
  std::weak_ptr<Node> node_;
};

// The layer behind keras::Input; it has no weights and passes its input on.
class InputLayer : public Layer {
 public:
  // batch_shape includes the batch dimension: (None, 3, 2).
  InputLayer(const Shape& batch_shape, const std::string& dtype = "float32",
             const std::string& name = "");
  explicit InputLayer(std::shared_ptr<InputLayerImpl> impl) : Layer(std::move(impl)) {}
  // The symbolic tensor this layer feeds.
  KerasTensor output() const;
  const Shape& batch_shape() const;
};

// The InputLayer that produced x, or nullptr when x is not an Input tensor.
std::shared_ptr<InputLayerImpl> input_layer_of(const KerasTensor& x);

}  // namespace layers
}  // namespace keras
