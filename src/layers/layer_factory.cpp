// layer_from_config: Keras' layer deserialization for the built-in layers.
// To add a layer: define <layer>_from_config next to it, declare it in
// layer_config.hpp and add one line to builders() below.
#include "layers/layer_factory.hpp"

#include <map>

#include "keras/layers/input_layer.hpp"
#include "layers/layer_config.hpp"

namespace keras::layers {

namespace {

const std::map<std::string, LayerBuilder>& builders() {
  static const std::map<std::string, LayerBuilder> table = {
      {"Activation", activation_from_config},
      {"Add", add_from_config},
      {"Concatenate", concatenate_from_config},
      {"Dense", dense_from_config},
      {"Dropout", dropout_from_config},
      {"Flatten", flatten_from_config},
      {"InputLayer", input_layer_from_config},
      {"LeakyReLU", leaky_relu_from_config},
      {"Permute", permute_from_config},
      {"ReLU", relu_from_config},
      {"RepeatVector", repeat_vector_from_config},
      {"Rescaling", rescaling_from_config},
      {"Reshape", reshape_from_config},
      {"Softmax", softmax_from_config},
      {"TimeDistributed", time_distributed_from_config},
  };
  return table;
}

std::string supported_classes() {
  std::string out;
  for (const auto& [name, builder] : builders()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::shared_ptr<LayerImpl> input_layer_from_config(const LayerConfig& c) {
  // Keras 3 writes batch_shape; Keras 2 files batch_input_shape.
  const char* field =
      c.has("batch_shape") || !c.has("batch_input_shape") ? "batch_shape" : "batch_input_shape";
  const std::optional<Shape> batch_shape = c.optional_shape(field);
  if (!batch_shape) throw Error(c.where(field) + " is missing.");
  for (const char* flag : {"sparse", "ragged"}) {
    if (c.boolean(flag, false)) {
      throw Error(c.where(flag) + " is true; kerascpp has no sparse or ragged tensors.");
    }
  }
  return InputLayer(*batch_shape, c.string("dtype", "float32"), c.string("name")).ptr();
}

std::shared_ptr<LayerImpl> layer_from_config(const json& object) {
  if (!object.is_object() || !object.contains("class_name") ||
      !object.at("class_name").is_string()) {
    throw Error(
        "A layer config must be an object with a \"class_name\" string and a \"config\" "
        "object.");
  }
  const std::string class_name = object.at("class_name").get<std::string>();
  const auto found = builders().find(class_name);
  if (found == builders().end()) {
    throw Error("Unknown layer class \"" + class_name +
                "\". kerascpp can read these layers: " + supported_classes() + ".");
  }
  if (!object.contains("config")) throw Error(class_name + " layer object has no \"config\".");
  std::shared_ptr<LayerImpl> layer = found->second(LayerConfig(class_name, object.at("config")));
  // As Keras' deserialize_keras_object: a saved build_config builds the layer
  // (creating its weights) before any call.
  if (object.contains("build_config") && object.at("build_config").is_object()) {
    const json& build = object.at("build_config");
    if (build.contains("input_shape") && !build.at("input_shape").is_null()) {
      layer->maybe_build(shapes_from_config(
          build.at("input_shape"), class_name + " \"" + layer->name() + "\" build_config"));
    }
  }
  return layer;
}

}  // namespace keras::layers
