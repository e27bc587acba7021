#pragma once
// Helpers for the fixtures under tests/fixtures/norm/ (made by
// reference/make_norm_fixtures.py from Keras 3.15.1): the shared ones of
// common/fixture_case_testing.hpp (the gradients of the fixtures' loss
// L = sum_i sum(y_i * r_i) among them), and the norm cases' own.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fixture_case_testing.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::norm {

using common::EnvGuard;
using common::expect_close;
using common::load;
using common::loss_gradients;
using common::LossGradients;
using common::read_file;
using common::read_json;
using common::Tolerance;

const std::filesystem::path& fixtures_dir();

// Case folders (those holding a case.json), sorted; with a key of case.json
// ("inference", "training", "train_step"), only the cases that have it.
std::vector<std::string> case_names(const std::string& with_key = "");

// The tensors of the files named in the list `files`.
std::vector<keras::Tensor> load_all(const std::filesystem::path& dir, const nlohmann::json& files);

}  // namespace kerascpp_testing::norm
