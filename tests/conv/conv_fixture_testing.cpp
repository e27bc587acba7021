#include "conv/conv_fixture_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "keras/gradient_tape.hpp"
#include "keras/io/npy.hpp"
#include "keras/ops.hpp"

namespace kerascpp_testing::conv {

namespace fs = std::filesystem;

const fs::path& fixtures_dir() {
  static const fs::path dir = fs::path(KERASCPP_FIXTURES_DIR) / "conv";
  return dir;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

std::vector<std::string> case_names(const std::string& kind) {
  std::vector<std::string> names;
  if (!fs::is_directory(fixtures_dir())) return names;
  for (const auto& entry : fs::directory_iterator(fixtures_dir())) {
    const fs::path info = entry.path() / "case.json";
    if (!entry.is_directory() || !fs::exists(info)) continue;
    if (!kind.empty() && read_json(info).value("kind", std::string()) != kind) continue;
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

keras::Tensor load(const fs::path& dir, const std::string& file) {
  return keras::io::load_npy((dir / file).string());
}

keras::Shape shape_from_json(const nlohmann::json& dims) {
  std::vector<std::int64_t> out;
  for (const auto& d : dims) out.push_back(d.is_null() ? keras::None : d.get<std::int64_t>());
  return keras::Shape(out);
}

Tolerance Tolerance::from_json(const nlohmann::json& v) {
  return {v.at("rtol").get<double>(), v.at("atol").get<double>()};
}

void expect_close(const keras::Tensor& got, const keras::Tensor& want, Tolerance tol,
                  const std::string& what) {
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
    if (std::abs(a[i] - b[i]) <= tol.atol + tol.rtol * std::abs(b[i])) continue;
    if (bad++ < 5) first << "\n  element " << i << ": got " << a[i] << ", Keras " << b[i];
  }
  if (bad > 0) {
    ADD_FAILURE() << what << ": " << bad << " of " << a.size() << " elements differ (rtol "
                  << tol.rtol << ", atol " << tol.atol << ")" << first.str();
  }
}

LossGradients loss_gradients(const keras::Model& model, const keras::Tensor& x,
                             const keras::Tensor& r) {
  const std::vector<keras::Variable> variables = model.trainable_weights();
  std::vector<keras::Tensor> sources;
  keras::GradientTape tape;
  for (const auto& v : variables) {
    tape.watch(v);
    sources.push_back(v.value());
  }
  const bool float_input = keras::is_floating(x.dtype());
  if (float_input) {
    tape.watch(x);
    sources.push_back(x);
  }
  const keras::Tensor y = model(x, /*training=*/false);
  const keras::Tensor loss = keras::ops::sum(keras::ops::multiply(y, r));
  const std::vector<keras::Tensor> grads = tape.gradient(loss, sources);
  LossGradients out;
  out.weights.assign(grads.begin(), grads.begin() + static_cast<std::ptrdiff_t>(variables.size()));
  if (float_input) out.input = grads.back();
  return out;
}

EnvGuard::EnvGuard(const char* name, const char* value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old;
  if (value) {
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

}  // namespace kerascpp_testing::conv
