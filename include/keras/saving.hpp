#pragma once
// Models from Keras' JSON config, as keras.models.model_from_json: the text
// model.to_json() writes (and config.json inside a .keras file holds).
#include <string>

#include "keras/model.hpp"

namespace keras::models {

// Rebuilds a Sequential or Functional model (nested models included) with the
// layer names of the config and fresh weights. Throws keras::Error naming the
// JSON path of a missing or ill-typed field, or the unknown layer class.
Model model_from_json(const std::string& json);
// The same, reading the JSON from a file.
Model model_from_json_file(const std::string& path);

}  // namespace keras::models
