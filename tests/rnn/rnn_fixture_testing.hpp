#pragma once
// Helpers for the recurrent-layer fixtures under tests/fixtures/rnn/ (made by
// reference/make_rnn_fixtures.py from Keras 3.15.1): the shared ones of
// common/fixture_case_testing.hpp, and the rnn cases' own: the gradients of
// the fixtures' loss L = sum_i sum(y_i * r_i) in inference mode, building a
// case's model, and resetting stateful RNN layers.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fixture_case_testing.hpp"
#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::rnn {

using common::EnvGuard;
using common::expect_close;
using common::load;
using common::LossGradients;
using common::read_file;
using common::read_json;
using common::Tolerance;

const std::filesystem::path& fixtures_dir();

// Case folders (those holding a case.json), sorted; with a kind ("numeric",
// "stateful", "summary_only"), only the cases of that kind.
std::vector<std::string> case_names(const std::string& kind = "");

// The tensors named by the "file" (or `key`) field of each entry of `list`.
std::vector<keras::Tensor> load_all(const std::filesystem::path& dir, const nlohmann::json& list,
                                    const std::string& key = "file");

// Gradients of L = sum_i sum(y_i * r_i), y = model(xs) in inference mode,
// with respect to model.trainable_weights() and to each floating input
// (undefined for integer inputs).
LossGradients loss_gradients(const keras::Model& model, const std::vector<keras::Tensor>& xs,
                             const std::vector<keras::Tensor>& cotangents);

// Resets the states of every RNN layer in the model (wrapped ones too), as
// Keras' layer.reset_states(); returns how many layers were reset.
int reset_rnn_states(const keras::Model& model);

// Builds the case's model from model.json in a fresh session (Keras' names).
keras::Model build_model(const std::filesystem::path& dir);

}  // namespace kerascpp_testing::rnn
