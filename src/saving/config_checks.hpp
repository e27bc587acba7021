#pragma once
// Checks on a model read from an untrusted file (a .keras archive or a legacy
// .h5 file), shared by both readers: a config must not ask for absurd sizes or
// nesting, and the rebuilt graph must not hold absurdly large tensors.
#include <nlohmann/json.hpp>
#include <string>

#include "models/functional.hpp"

namespace keras::saving {

// Rejects configs nested deeper than any model needs (the readers recurse)
// and integers no Keras config holds (shapes and sizes beyond 2**31), except
// seeds and Keras' object ids. path names the config in errors.
void check_config_values(const nlohmann::ordered_json& value, const std::string& path,
                         int depth = 0);

// Every tensor of the rebuilt graph must have a sane number of elements per
// sample, so that running the model cannot ask for an absurd allocation.
void check_tensor_sizes(const detail::FunctionalImpl& model, const std::string& context);

}  // namespace keras::saving
