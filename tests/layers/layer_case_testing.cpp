#include "layer_case_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "keras/io/npy.hpp"

namespace keras::testing {

namespace fs = std::filesystem;

namespace {

std::string core_dir() { return std::string(KERASCPP_FIXTURES_DIR) + "/core"; }

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return json::parse(in);
}

Shape shape_of(const json& dims) {
  std::vector<std::int64_t> out;
  for (const json& d : dims) out.push_back(d.is_null() ? None : d.get<std::int64_t>());
  return Shape(out);
}

}  // namespace

std::string fixture_path(const std::string& case_name, const std::string& file) {
  return core_dir() + "/" + case_name + "/" + file;
}

bool case_exists(const std::string& case_name) {
  return fs::exists(fixture_path(case_name, "case.json"));
}

std::vector<std::string> case_names(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(core_dir())) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

LayerCase load_case(const std::string& case_name) {
  LayerCase c;
  c.name = case_name;
  c.info = read_json(fixture_path(case_name, "case.json"));
  const json model = read_json(fixture_path(case_name, "model.json"));
  const json& layers = model.at("config").at("layers");
  if (layers.size() != 2) throw std::runtime_error(case_name + " is not a single-layer case");
  c.layer_object = layers.at(1);
  if (fs::exists(fixture_path(case_name, "x_0.npy"))) {
    c.x = io::load_npy(fixture_path(case_name, "x_0.npy"));
  }
  if (fs::exists(fixture_path(case_name, "y_0.npy"))) {
    c.y = io::load_npy(fixture_path(case_name, "y_0.npy"));
  }
  for (int i = 0;; ++i) {
    const std::string file =
        std::string("weights_") + (i < 10 ? "0" : "") + std::to_string(i) + ".npy";
    if (!fs::exists(fixture_path(case_name, file))) break;
    c.weights.push_back(io::load_npy(fixture_path(case_name, file)));
  }
  c.input_shape = shape_of(c.info.at("inputs").at(0).at("shape"));
  c.output_shape = shape_of(c.info.at("outputs").at(0).at("shape"));
  const json& layer = c.info.at("layers").at(0);
  c.layer_name = layer.at("name").get<std::string>();
  c.layer_class = layer.at("class_name").get<std::string>();
  c.count_params = layer.at("count_params").get<std::int64_t>();
  for (const json& w : c.info.at("weights")) {
    const std::string path = w.at("path").get<std::string>();
    c.weight_specs.push_back(
        {path.substr(path.rfind('/') + 1), shape_of(w.at("shape")), w.at("trainable").get<bool>()});
  }
  return c;
}

void expect_allclose(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  ASSERT_TRUE(actual.defined());
  ASSERT_EQ(actual.shape(), expected.shape());
  const std::vector<double> a = actual.to_vector<double>();
  const std::vector<double> e = expected.to_vector<double>();
  int reported = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool close = std::abs(a[i] - e[i]) <= atol + rtol * std::abs(e[i]) ||
                       (std::isnan(a[i]) && std::isnan(e[i])) || a[i] == e[i];
    if (!close && reported++ < 5) {
      ADD_FAILURE() << "element " << i << ": got " << a[i] << ", expected " << e[i];
    }
  }
}

void check_layer_against_case(const Layer& layer, const LayerCase& c) {
  SCOPED_TRACE("fixture case " + c.name);
  EXPECT_EQ(layer.name(), c.layer_name);
  EXPECT_EQ(layer.class_name(), c.layer_class);
  EXPECT_EQ(layer.compute_output_shape(c.input_shape), c.output_shape);
  layer.impl().maybe_build({c.input_shape});
  EXPECT_EQ(layer.count_params(), c.count_params);
  const std::vector<Variable> weights = layer.weights();
  ASSERT_EQ(weights.size(), c.weight_specs.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_EQ(weights[i].name(), c.weight_specs[i].name);
    EXPECT_EQ(weights[i].shape(), c.weight_specs[i].shape);
    EXPECT_EQ(weights[i].trainable(), c.weight_specs[i].trainable);
  }
  ASSERT_EQ(c.weights.size(), weights.size());
  layer.set_weights(c.weights);
  if (!c.y.defined()) return;
  const Tensor y = layer(c.x);
  EXPECT_EQ(y.dtype(), c.y.dtype());
  expect_allclose(y, c.y);
}

}  // namespace keras::testing
