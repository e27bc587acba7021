#pragma once
// Comparing configs as JSON values, the way the saving tests check what
// kerascpp writes against what Keras wrote.
#include <nlohmann/json.hpp>
#include <string>

namespace keras::config_testing {

// "" when got and want are equal as JSON values (key order aside; integers
// and floats are different kinds), else the path and values of the first
// difference. Keras' "shared_object_id" keys (Python object ids, different
// in every process) are ignored on both sides.
std::string difference(const nlohmann::ordered_json& got, const nlohmann::ordered_json& want,
                       const std::string& path = "$");

}  // namespace keras::config_testing
