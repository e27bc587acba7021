#pragma once
// Helpers the model tests share: reading fixture files and setting COLUMNS
// (Keras' summary width rule) for the length of a test.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fixture_case_testing.hpp"

namespace kerascpp_testing {

std::string read_file(const std::filesystem::path& path);

// Files named <prefix>NN.npy / <prefix>N.npy in a folder, in numeric order.
std::vector<std::filesystem::path> numbered(const std::filesystem::path& dir,
                                            const std::string& prefix);

// The first difference between two JSON values ("" when equal), as a path
// and both values; Keras' per-process shared_object_id keys are ignored and
// an integer differs from a float (Keras writes 0 and 0.0 apart).
std::string json_difference(const nlohmann::ordered_json& got, const nlohmann::ordered_json& want,
                            const std::string& path = "$");

// Sets (or, with nullptr, unsets) an environment variable for the guard's lifetime.
using common::EnvGuard;

}  // namespace kerascpp_testing
