#pragma once
// Helpers for the fixtures under tests/fixtures/conv/ (made by
// reference/make_conv_fixtures.py from Keras 3.15.1): the shared ones of
// common/fixture_case_testing.hpp, and the conv cases' own: one input, one
// output, and the gradients of the fixtures' loss L = sum(y * r).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fixture_case_testing.hpp"
#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::conv {

using common::EnvGuard;
using common::expect_close;
using common::load;
using common::read_file;
using common::read_json;
using common::Tolerance;

const std::filesystem::path& fixtures_dir();

// Case folders (those holding a case.json), sorted; with a kind ("numeric",
// "summary_only"), only the cases of that kind.
std::vector<std::string> case_names(const std::string& kind = "");

keras::Shape shape_from_json(const nlohmann::json& dims);  // null -> None

// Gradients of L = sum(model(x) * r) (inference mode) with respect to
// model.trainable_weights() and, when x is floating, to x (else undefined).
struct LossGradients {
  std::vector<keras::Tensor> weights;
  keras::Tensor input;
};
LossGradients loss_gradients(const keras::Model& model, const keras::Tensor& x,
                             const keras::Tensor& r);

}  // namespace kerascpp_testing::conv
