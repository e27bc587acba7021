#pragma once
// Helpers for the fixtures under tests/fixtures/conv/ (made by
// reference/make_conv_fixtures.py from Keras 3.15.1): reading a case,
// comparing tensors within Keras' tolerances, and the gradients of the
// fixtures' loss L = sum(y * r).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace kerascpp_testing::conv {

const std::filesystem::path& fixtures_dir();
std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);

// Case folders (those holding a case.json), sorted; with a kind ("numeric",
// "summary_only"), only the cases of that kind.
std::vector<std::string> case_names(const std::string& kind = "");

keras::Tensor load(const std::filesystem::path& dir, const std::string& file);
keras::Shape shape_from_json(const nlohmann::json& dims);  // null -> None

struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  static Tolerance from_json(const nlohmann::json& v);
};

// Adds a failure (naming `what`, the first differing elements and how many
// differ) unless got has want's shape and |got - want| <= atol + rtol * |want|.
void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what);

// Gradients of L = sum(model(x) * r) (inference mode) with respect to
// model.trainable_weights() and, when x is floating, to x (else undefined).
struct LossGradients {
  std::vector<keras::Tensor> weights;
  keras::Tensor input;
};
LossGradients loss_gradients(const keras::Model& model, const keras::Tensor& x,
                             const keras::Tensor& r);

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

}  // namespace kerascpp_testing::conv
