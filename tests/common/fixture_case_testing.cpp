#include "common/fixture_case_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "keras/gradient_tape.hpp"
#include "keras/io/npy.hpp"
#include "keras/ops.hpp"

namespace kerascpp_testing::common {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

std::vector<std::string> case_names(const fs::path& dir, const CaseFilter& keep) {
  std::vector<std::string> names;
  if (!fs::is_directory(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path info = entry.path() / "case.json";
    if (!entry.is_directory() || !fs::exists(info)) continue;
    if (keep && !keep(read_json(info))) continue;
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

CaseFilter of_kind(const std::string& kind) {
  if (kind.empty()) return {};
  return [kind](const nlohmann::json& info) { return info.value("kind", std::string()) == kind; };
}

keras::Tensor load(const fs::path& dir, const std::string& file) {
  return keras::io::load_npy((dir / file).string());
}

Tolerance Tolerance::from_json(const nlohmann::json& v) {
  return {v.at("rtol").get<double>(), v.at("atol").get<double>()};
}

void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what, bool keras_nan_ok) {
  if (!got.defined()) {
    ADD_FAILURE() << what << ": no tensor (Keras has shape " << want.shape().to_string() << ")";
    return;
  }
  if (got.shape() != want.shape()) {
    ADD_FAILURE() << what << ": shape " << got.shape().to_string() << ", Keras "
                  << want.shape().to_string();
    return;
  }
  const auto a = got.to_vector<double>();
  const auto b = want.to_vector<double>();
  std::size_t bad = 0;
  std::ostringstream first;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (keras_nan_ok && std::isnan(b[i]) && std::isfinite(a[i])) continue;
    if (std::abs(a[i] - b[i]) <= tol.atol + tol.rtol * std::abs(b[i])) continue;
    if (bad++ < 5) first << "\n  element " << i << ": got " << a[i] << ", Keras " << b[i];
  }
  if (bad > 0) {
    std::ostringstream limits;  // short numbers, not gtest's 17 digits
    limits << "rtol " << tol.rtol << ", atol " << tol.atol;
    ADD_FAILURE() << what << ": " << bad << " of " << a.size() << " elements differ ("
                  << limits.str() << ")" << first.str();
  }
}

LossGradients loss_gradients(const keras::Model& model, const std::vector<keras::Tensor>& xs,
                             const std::vector<keras::Tensor>& cotangents, bool training) {
  const std::vector<keras::Variable> variables = model.trainable_weights();
  std::vector<keras::Tensor> sources;
  std::vector<std::size_t> float_inputs;
  keras::GradientTape tape;
  for (const auto& v : variables) {
    tape.watch(v);
    sources.push_back(v.value());
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!keras::is_floating(xs[i].dtype())) continue;
    tape.watch(xs[i]);
    sources.push_back(xs[i]);
    float_inputs.push_back(i);
  }
  LossGradients out;
  out.outputs = model(xs, training);
  if (out.outputs.size() != cotangents.size()) {
    throw std::runtime_error("the model has " + std::to_string(out.outputs.size()) +
                             " outputs, the fixture " + std::to_string(cotangents.size()));
  }
  keras::Tensor loss;
  for (std::size_t i = 0; i < out.outputs.size(); ++i) {
    keras::Tensor term = keras::ops::sum(keras::ops::multiply(out.outputs[i], cotangents[i]));
    loss = loss.defined() ? keras::ops::add(loss, term) : term;
  }
  const std::vector<keras::Tensor> grads = tape.gradient(loss, sources);
  out.weights.assign(grads.begin(), grads.begin() + static_cast<std::ptrdiff_t>(variables.size()));
  out.inputs.resize(xs.size());
  for (std::size_t k = 0; k < float_inputs.size(); ++k) {
    out.inputs[float_inputs[k]] = grads[variables.size() + k];
  }
  return out;
}

EnvGuard::EnvGuard(const char* name, const char* value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old;
  if (value != nullptr) {
    setenv(name, value, 1);
  } else {
    unsetenv(name);
  }
}

EnvGuard::~EnvGuard() {
  if (old_) {
    setenv(name_, old_->c_str(), 1);
  } else {
    unsetenv(name_);
  }
}

}  // namespace kerascpp_testing::common
