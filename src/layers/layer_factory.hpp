#pragma once
// Built-in layers from their Keras config, as keras.layers.deserialize: the
// object {"module", "class_name", "config", "registered_name", ...} that
// model.to_json() / config.json hold for each layer.
#include <memory>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

#include "keras/layer.hpp"

namespace keras::layers {

using json = nlohmann::ordered_json;

// Throws keras::Error naming the class when it is unknown, and the field when
// a config value is missing or has the wrong type.
std::shared_ptr<LayerImpl> layer_from_config(const json& object);

// The class names layer_from_config reads, sorted.
std::vector<std::string> registered_layer_classes();

}  // namespace keras::layers
