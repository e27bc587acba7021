#pragma once
// Helpers that the fixture tests of several folders (conv, norm, rnn) share,
// for the cases made from Keras 3.15.1 by reference/make_*_fixtures.py: a case
// is a folder holding case.json, model.json and .npy tensors. Reading a case,
// comparing tensors within Keras' tolerances, and the gradients of the
// fixtures' loss L = sum_i sum(y_i * r_i). Each folder's own helpers
// (tests/<part>/<part>_fixture_testing.hpp) build on these.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::common {

// The whole file; throws std::runtime_error when it cannot be opened.
std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);

// Which cases to keep, from their case.json; an empty filter keeps them all.
using CaseFilter = std::function<bool(const nlohmann::json& info)>;

// The case folders of dir (those holding a case.json), sorted, that `keep`
// accepts; none when dir does not exist.
std::vector<std::string> case_names(const std::filesystem::path& dir, const CaseFilter& keep = {});

// A filter for the cases whose case.json has this "kind" (all cases for "").
CaseFilter of_kind(const std::string& kind);

keras::Tensor load(const std::filesystem::path& dir, const std::string& file);

struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  static Tolerance from_json(const nlohmann::json& v);
};

// Adds a failure (naming `what`, the first differing elements, and how many
// differ) unless got has want's shape and |got - want| <= atol + rtol*|want|
// everywhere. With keras_nan_ok, an element where Keras has NaN only needs to
// be finite (for the cases whose case.json explains why Keras' value is NaN).
void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what, bool keras_nan_ok = false);

// Outputs of model(xs, training) and the gradients of L = sum_i sum(y_i *
// r_i) with respect to model.trainable_weights() and each floating input
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

}  // namespace kerascpp_testing::common
