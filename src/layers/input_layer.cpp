#include "keras/layers/input_layer.hpp"

#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"

namespace keras {

KerasTensor Input(const Shape& shape, InputOptions options) {
  if (shape.rank() + 1 > Shape::kMaxRank) {
    throw Error("Input shape " + shape.to_string() + " has too many dimensions: at most " +
                std::to_string(Shape::kMaxRank - 1) + " besides the batch dimension.");
  }
  for (std::int64_t d : shape) {
    if (d < 0 && d != None) {
      throw Error("Input shape " + shape.to_string() +
                  " has a negative dimension; use keras::None for an unknown one.");
    }
  }
  if (options.batch_size && *options.batch_size <= 0) {
    throw Error("Input batch_size must be positive, got " + std::to_string(*options.batch_size) +
                ".");
  }
  const Shape batch_shape = shape.prepend(options.batch_size.value_or(None));
  layers::InputLayer layer(batch_shape, options.dtype, options.name);
  return layer.output();
}

namespace layers {

InputLayerImpl::InputLayerImpl(const Shape& batch_shape, DType dtype, const std::string& name)
    : LayerImpl("InputLayer", name), batch_shape_(batch_shape), dtype_(dtype) {
  set_built(true);
}

KerasTensor InputLayerImpl::output() {
  std::shared_ptr<Node> node = node_.lock();
  if (!node) {
    // Keras creates the node in the constructor; here it is made on first use
    // (shared_from_this is not available earlier) and is always node 0.
    node = record_node({}, {batch_shape_}, {dtype_}, false, 0);
    node_ = node;
  }
  return KerasTensor(batch_shape_, dtype_, node, 0);
}

std::vector<Tensor> InputLayerImpl::call(const std::vector<Tensor>& inputs, const CallContext&) {
  return inputs;
}

std::vector<Shape> InputLayerImpl::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

std::vector<DType> InputLayerImpl::compute_output_dtype(const std::vector<DType>&,
                                                        std::size_t num_outputs) const {
  return std::vector<DType>(num_outputs, dtype_);
}

// Keras' InputLayer.get_config: no trainable flag, the dtype as a string.
void InputLayerImpl::write_config(detail::ConfigWriter& w) const {
  w.shape("batch_shape", batch_shape_)
      .set("dtype", dtype_name(dtype_))
      .set("sparse", false)
      .set("ragged", false)
      .set("name", name())
      .set("optional", false);
}

// The model's input: no operation, but the place to name the axes.
void InputLayerImpl::explain(detail::ExplainWriter& w) const {
  // Integer inputs are indices (tokens) at positions; others end in features.
  const Shape& shape = w.output();
  const std::vector<std::string> x =
      is_floating(dtype_) ? detail::feature_axes(shape) : detail::axis_names(shape, {});
  w.formula(detail::indexed("x", x) + ": the model's input, " + std::string(dtype_name(dtype_)));
  w.note("axes: " + detail::axes_legend(shape, x));
}

InputLayer::InputLayer(const Shape& batch_shape, const std::string& dtype, const std::string& name)
    : Layer(std::make_shared<InputLayerImpl>(batch_shape, dtype_from_name(dtype), name)) {}

KerasTensor InputLayer::output() const { return static_cast<InputLayerImpl&>(impl()).output(); }

const Shape& InputLayer::batch_shape() const {
  return static_cast<InputLayerImpl&>(impl()).batch_shape();
}

std::shared_ptr<InputLayerImpl> input_layer_of(const KerasTensor& x) {
  if (!x.defined() || !x.node()) return nullptr;
  const Node& node = *x.node();
  if (!node.inputs.empty()) return nullptr;
  return std::dynamic_pointer_cast<InputLayerImpl>(node.layer);
}

}  // namespace layers
}  // namespace keras
