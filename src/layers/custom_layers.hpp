#pragma once
// The registry behind keras::register_layer (keras/saving/object_registration.hpp):
// writing and reading the configs of layer classes users register.
#include <memory>
#include <nlohmann/json.hpp>

#include "keras/layer.hpp"
#include "keras/saving/object_registration.hpp"
#include "layers/layer_config_writer.hpp"

namespace keras {
struct Config::Fields {
  nlohmann::ordered_json value = nlohmann::ordered_json::object();
};
}  // namespace keras

namespace keras::layers {

// When layer's class is registered: writes its config as Keras writes a
// registered class (base fields, then get_config's) and returns true.
bool write_custom_config(const LayerImpl& layer, detail::ConfigWriter& writer);

// The layer of a serialized object whose registered_name (or, in Keras 2
// files, class_name) names a registered class; null when none does.
std::shared_ptr<LayerImpl> custom_layer_from_config(const nlohmann::ordered_json& object);

}  // namespace keras::layers
