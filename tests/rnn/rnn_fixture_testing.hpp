#pragma once
// Helpers for the recurrent-layer fixtures under tests/fixtures/rnn/ (made by
// reference/make_rnn_fixtures.py from Keras 3.15.1): reading a case, comparing
// tensors within Keras' tolerances, the gradients of the fixtures' loss
// L = sum_i sum(y_i * r_i), and resetting stateful RNN layers.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::rnn {

const std::filesystem::path& fixtures_dir();

std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);

// Case folders (those holding a case.json), sorted; with a kind ("numeric",
// "stateful", "summary_only"), only the cases of that kind.
std::vector<std::string> case_names(const std::string& kind = "");

keras::Tensor load(const std::filesystem::path& dir, const std::string& file);
// The tensors named by the "file" (or `key`) field of each entry of `list`.
std::vector<keras::Tensor> load_all(const std::filesystem::path& dir, const nlohmann::json& list,
                                    const std::string& key = "file");

struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  static Tolerance from_json(const nlohmann::json& v);
};

// Adds a failure (naming `what`, the first differing elements, and how many
// differ) unless got has want's shape and |got - want| <= atol + rtol*|want|
// everywhere.
void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what);

// Gradients of L = sum_i sum(y_i * r_i), y = model(xs) in inference mode,
// with respect to model.trainable_weights() and to each floating input
// (undefined for integer inputs).
struct LossGradients {
  std::vector<keras::Tensor> weights;
  std::vector<keras::Tensor> inputs;
};
LossGradients loss_gradients(const keras::Model& model, const std::vector<keras::Tensor>& xs,
                             const std::vector<keras::Tensor>& cotangents);

// Resets the states of every RNN layer in the model (wrapped ones too), as
// Keras' layer.reset_states(); returns how many layers were reset.
int reset_rnn_states(const keras::Model& model);

// Builds the case's model from model.json in a fresh session (Keras' names).
keras::Model build_model(const std::filesystem::path& dir);

// Sets (or, with nullptr, unsets) an environment variable for the guard's lifetime.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value);
  ~EnvGuard();
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace kerascpp_testing::rnn
