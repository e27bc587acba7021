#pragma once
// Helpers for the fixtures under tests/fixtures/norm/ (made by
// reference/make_norm_fixtures.py from Keras 3.15.1): reading a case,
// comparing tensors within Keras' tolerances, and the gradients of the
// fixtures' loss L = sum_i sum(y_i * r_i).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::norm {

const std::filesystem::path& fixtures_dir();

std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);

// Case folders (those holding a case.json), sorted; with a key of case.json
// ("inference", "training", "train_step"), only the cases that have it.
std::vector<std::string> case_names(const std::string& with_key = "");

keras::Tensor load(const std::filesystem::path& dir, const std::string& file);
std::vector<keras::Tensor> load_all(const std::filesystem::path& dir, const nlohmann::json& files);

struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  static Tolerance from_json(const nlohmann::json& v);
};

// Adds a failure (naming `what`, the first differing elements, and how many
// differ) unless got has want's shape and |got - want| <= atol + rtol*|want|.
// With keras_nan_ok, an element where Keras has NaN only needs to be finite
// (for the cases whose case.json explains why Keras' gradient is NaN).
void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what, bool keras_nan_ok = false);

// Outputs of model(xs, training) and the gradients of L = sum_i sum(y_i *
// r_i) with respect to model.trainable_weights() and each float input
// (undefined for integer inputs), from one call under a GradientTape.
struct LossGradients {
  std::vector<keras::Tensor> outputs;
  std::vector<keras::Tensor> weights;
  std::vector<keras::Tensor> inputs;
};
LossGradients loss_gradients(const keras::Model& model, const std::vector<keras::Tensor>& xs,
                             const std::vector<keras::Tensor>& cotangents, bool training);

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

}  // namespace kerascpp_testing::norm
