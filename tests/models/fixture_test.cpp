// Every model under tests/fixtures/core/ (made by real Keras 3.15.1, see
// reference/make_core_fixtures.py): rebuilt from model.json, given Keras'
// weights, it must print Keras' summaries byte for byte, count the same
// parameters, give each layer Keras' output shape, and predict Keras' numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "keras/io/npy.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "models/fixture_testing.hpp"

namespace fs = std::filesystem;
using kerascpp_testing::EnvGuard;
using kerascpp_testing::numbered;
using kerascpp_testing::read_file;

namespace {

const fs::path kCoreDir = fs::path(KERASCPP_FIXTURES_DIR) / "core";

std::vector<std::string> list_cases() {
  std::vector<std::string> cases;
  if (!fs::is_directory(kCoreDir)) return cases;
  for (const auto& entry : fs::directory_iterator(kCoreDir)) {
    if (entry.is_directory() && fs::exists(entry.path() / "model.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

keras::Shape shape_from_json(const nlohmann::json& v) {
  std::vector<std::int64_t> dims;
  for (const auto& d : v) dims.push_back(d.is_null() ? keras::None : d.get<std::int64_t>());
  return keras::Shape(dims);
}

// Keras writes one shape as a list of dims, several as a list of lists.
std::vector<keras::Shape> shapes_from_json(const nlohmann::json& v) {
  if (!v.empty() && v[0].is_array()) {
    std::vector<keras::Shape> out;
    for (const auto& s : v) out.push_back(shape_from_json(s));
    return out;
  }
  return {shape_from_json(v)};
}

// Sets an environment variable for the lifetime of the guard.

class CoreFixture : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = kCoreDir / GetParam();
    info_ = nlohmann::json::parse(read_file(dir_ / "case.json"));
    keras::backend::clear_session();
    try {
      model_.emplace(keras::models::model_from_json_file((dir_ / "model.json").string()));
    } catch (const keras::Error& e) {
      const std::string what = e.what();
      if (what.find("Unknown layer class") != std::string::npos) {
        GTEST_SKIP() << "layer not implemented yet: " << what;
      }
      FAIL() << "model_from_json failed: " << what;
    }
    std::vector<keras::Tensor> weights;
    for (const auto& p : numbered(dir_, "weights_")) weights.push_back(keras::io::load_npy(p));
    model_->set_weights(weights);
  }

  fs::path dir_;
  nlohmann::json info_;
  std::optional<keras::Model> model_;
};

}  // namespace

TEST_P(CoreFixture, SummaryMatchesKerasIn76Columns) {
  // Keras in a pipe without COLUMNS: an 80-column console, line length 76.
  EnvGuard columns("COLUMNS", "80");
  EXPECT_EQ(model_->summary_string(), read_file(dir_ / "summary.txt"));
  keras::SummaryOptions explicit_length;
  explicit_length.line_length = 76;
  EXPECT_EQ(model_->summary_string(explicit_length), read_file(dir_ / "summary.txt"));
}

TEST_P(CoreFixture, SummaryMatchesKerasWide) {
  EnvGuard columns("COLUMNS", "200");
  EXPECT_EQ(model_->summary_string(), read_file(dir_ / "summary_wide.txt"));
}

TEST_P(CoreFixture, NameAndParameterCounts) {
  EXPECT_EQ(model_->name(), info_["model_name"].get<std::string>());
  EXPECT_EQ(model_->class_name(), info_["model_class"].get<std::string>());
  EXPECT_EQ(model_->count_params(), info_["count_params"].get<std::int64_t>());
  std::int64_t trainable = 0;
  for (const auto& v : model_->trainable_weights()) trainable += v.shape().num_elements();
  std::int64_t frozen = 0;
  for (const auto& v : model_->non_trainable_weights()) frozen += v.shape().num_elements();
  EXPECT_EQ(trainable, info_["trainable_params"].get<std::int64_t>());
  EXPECT_EQ(frozen, info_["non_trainable_params"].get<std::int64_t>());

  const auto& expected = info_["weights"];
  const auto weights = model_->weights();
  ASSERT_EQ(weights.size(), expected.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_EQ(weights[i].shape(), shape_from_json(expected[i]["shape"])) << "weight " << i;
  }
}

TEST_P(CoreFixture, LayersAndOutputShapes) {
  const auto& expected = info_["layers"];
  const auto layers = model_->layers();
  ASSERT_EQ(layers.size(), expected.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& e = expected[i];
    EXPECT_EQ(layers[i].name(), e["name"].get<std::string>());
    EXPECT_EQ(layers[i].class_name(), e["class_name"].get<std::string>());
    EXPECT_EQ(layers[i].count_params(), e["count_params"].get<std::int64_t>()) << e["name"];
    const auto nodes = layers[i].impl().inbound_nodes();
    ASSERT_FALSE(nodes.empty()) << e["name"];
    EXPECT_EQ(nodes.back()->output_shapes, shapes_from_json(e["output_shape"])) << e["name"];
  }
  ASSERT_EQ(model_->inputs().size(), info_["inputs"].size());
  for (std::size_t i = 0; i < model_->inputs().size(); ++i) {
    EXPECT_EQ(model_->inputs()[i].shape(), shape_from_json(info_["inputs"][i]["shape"]));
    EXPECT_EQ(std::string(keras::dtype_name(model_->inputs()[i].dtype())),
              info_["inputs"][i]["dtype"].get<std::string>());
  }
  ASSERT_EQ(model_->outputs().size(), info_["outputs"].size());
  for (std::size_t i = 0; i < model_->outputs().size(); ++i) {
    EXPECT_EQ(model_->outputs()[i].shape(), shape_from_json(info_["outputs"][i]["shape"]));
  }
}

TEST_P(CoreFixture, PredictMatchesKeras) {
  const auto x_files = numbered(dir_, "x_");
  if (x_files.empty()) {
    GTEST_SKIP() << "Keras could not predict: " << info_.value("predict_error", std::string("?"));
  }
  std::vector<keras::Tensor> xs;
  for (const auto& p : x_files) xs.push_back(keras::io::load_npy(p));
  std::vector<keras::Tensor> ys;
  for (const auto& p : numbered(dir_, "y_")) ys.push_back(keras::io::load_npy(p));
  const std::vector<keras::Tensor> got = model_->predict(xs);
  ASSERT_EQ(got.size(), ys.size());
  for (std::size_t k = 0; k < ys.size(); ++k) {
    ASSERT_EQ(got[k].shape(), ys[k].shape()) << "output " << k;
    const auto a = got[k].to_vector<double>();
    const auto b = ys[k].to_vector<double>();
    int reported = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const double tol = 1e-6 + 1e-5 * std::abs(b[i]);
      if (!(std::abs(a[i] - b[i]) <= tol) && reported++ < 5) {
        ADD_FAILURE() << "output " << k << " element " << i << ": got " << a[i] << ", Keras "
                      << b[i];
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, CoreFixture, testing::ValuesIn(list_cases()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(CoreFixtures, AreThere) { EXPECT_GT(list_cases().size(), 50u); }
