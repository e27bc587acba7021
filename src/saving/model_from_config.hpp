#pragma once
// model_from_json's machinery on a parsed config (config.json of a .keras
// file): Sequential.from_config and functional_from_config.
#include <nlohmann/json.hpp>

#include "keras/model.hpp"

namespace keras::saving {

// Throws keras::Error starting with "model_from_json: " and naming the JSON
// path of a missing or ill-typed field, or the unknown layer class.
Model model_from_config(const nlohmann::ordered_json& object);

}  // namespace keras::saving
