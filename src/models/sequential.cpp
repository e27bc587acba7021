#include "models/sequential.hpp"

#include "keras/layers/input_layer.hpp"
#include "keras/utils.hpp"

namespace keras::detail {

namespace {

layers::InputLayerImpl* as_input_layer(const std::shared_ptr<LayerImpl>& layer) {
  return dynamic_cast<layers::InputLayerImpl*>(layer.get());
}

}  // namespace

SequentialImpl::SequentialImpl(const std::string& name, bool trainable)
    : FunctionalImpl("Sequential", name, trainable) {}

std::vector<std::shared_ptr<LayerImpl>> SequentialImpl::layers() const {
  // As Keras: model.layers leaves out the InputLayer at the bottom.
  if (!layers_.empty() && as_input_layer(layers_.front())) {
    return {layers_.begin() + 1, layers_.end()};
  }
  return layers_;
}

void SequentialImpl::add(std::shared_ptr<LayerImpl> layer, bool rebuild) {
  if (!layer) throw Error("Sequential \"" + name() + "\": cannot add an empty Layer handle.");
  for (const auto& existing : layers_) {
    if (existing->name() == layer->name() && existing != layer) {
      throw Error("All layers added to a Sequential model should have unique names. Name '" +
                  layer->name() +
                  "' is already the name of a layer in this model. Update the `name` argument "
                  "to pass a unique name.");
    }
  }
  if (as_input_layer(layer) && !layers_.empty() && as_input_layer(layers_.front())) {
    throw Error("Sequential model '" + name() +
                "' has already been configured to use input shape " +
                as_input_layer(layers_.front())->batch_shape().to_string() +
                ". You cannot add a different Input layer to it.");
  }
  const std::vector<std::shared_ptr<LayerImpl>> previous_layers = layers_;
  const std::shared_ptr<const Graph> previous_graph = graph_ptr();
  layers_.push_back(std::move(layer));
  if (!rebuild) {
    set_graph(nullptr, false, false);
    return;
  }
  try {
    maybe_rebuild();
  } catch (...) {
    // Unlike Keras, a layer that does not fit is not left in the model.
    layers_ = previous_layers;
    set_graph(previous_graph, false, false);
    throw;
  }
}

std::shared_ptr<LayerImpl> SequentialImpl::pop(bool rebuild) {
  if (layers_.empty()) {
    throw Error("Sequential model '" + name() + "' has no layers to pop.");
  }
  std::shared_ptr<LayerImpl> last = layers_.back();
  layers_.pop_back();
  set_graph(nullptr, false, false);
  if (rebuild && !layers_.empty()) maybe_rebuild();
  return last;
}

void SequentialImpl::maybe_rebuild() {
  set_graph(nullptr, false, false);
  if (layers_.size() < 2) return;
  if (auto* input = as_input_layer(layers_.front())) {
    build_for(input->batch_shape());
    return;
  }
  // A model as first layer brings its input shape (Keras: layer.input_shape).
  if (FunctionalImpl* first = as_model(layers_.front().get());
      first != nullptr && first->has_graph() && first->graph().inputs.size() == 1) {
    build_for(first->graph().inputs[0].shape());
  }
}

void SequentialImpl::build_for(const Shape& input_shape) {
  if (layers_.empty()) {
    throw Error("Sequential model " + name() +
                " cannot be built because it has no layers. Call `model.add(layer)`.");
  }
  if (auto* input = as_input_layer(layers_.front())) {
    if (input->batch_shape() != input_shape) {
      throw Error("Sequential model '" + name() +
                  "' has already been configured to use input shape " +
                  input->batch_shape().to_string() + ". You cannot build it with input_shape " +
                  input_shape.to_string());
    }
  } else {
    layers_.insert(layers_.begin(),
                   std::make_shared<layers::InputLayerImpl>(input_shape, DType::float32));
  }
  const KerasTensor input = as_input_layer(layers_.front())->output();
  std::vector<KerasTensor> x = {input};
  for (std::size_t i = 1; i < layers_.size(); ++i) {
    x = layers_[i]->apply_symbolic(x, x.size() > 1);
  }
  // Keras builds an inner Functional, which takes a "functional" name.
  backend::unique_object_name("Functional");
  set_graph(map_graph({input}, x, "Sequential \"" + name() + "\""), false, x.size() > 1);
}

void SequentialImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1) {
    throw Error("Sequential \"" + name() + "\" takes one input, got " +
                std::to_string(input_shapes.size()) + ".");
  }
  if (!has_graph()) build_for(input_shapes[0]);
}

std::vector<Shape> SequentialImpl::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (has_graph()) return FunctionalImpl::compute_output_shape(input_shapes);
  std::vector<Shape> shapes = input_shapes;
  for (const auto& layer : layers_) {
    if (as_input_layer(layer)) continue;
    shapes = layer->compute_output_shape(shapes);
  }
  return shapes;
}

std::vector<DType> SequentialImpl::compute_output_dtype(const std::vector<DType>& input_dtypes,
                                                        std::size_t num_outputs) const {
  if (has_graph()) return FunctionalImpl::compute_output_dtype(input_dtypes, num_outputs);
  return LayerImpl::compute_output_dtype(input_dtypes, num_outputs);
}

}  // namespace keras::detail
