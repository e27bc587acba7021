// Every case under tests/fixtures/conv/ (made by real Keras 3.15.1, see
// reference/make_conv_fixtures.py): rebuilt from model.json, the model must
// print Keras' summary byte for byte, have Keras' layers, output shapes,
// parameter counts and weight shapes, and, given Keras' weights, compute
// Keras' output and the gradients of L = sum(y * r) with respect to every
// trainable weight and the input. Nothing is skipped.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "conv/conv_fixture_testing.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"

namespace fs = std::filesystem;
namespace ct = kerascpp_testing::conv;

namespace {

class ConvCase : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = ct::fixtures_dir() / GetParam();
    info_ = ct::read_json(dir_ / "case.json");
    keras::backend::clear_session();
    try {
      model_.emplace(keras::models::model_from_json_file((dir_ / "model.json").string()));
    } catch (const std::exception& e) {
      FAIL() << "model_from_json failed: " << e.what();
    }
    if (info_["kind"] != "numeric") return;
    std::vector<keras::Tensor> weights;
    for (const auto& w : info_["weights"]) weights.push_back(ct::load(dir_, w["file"]));
    try {
      model_->set_weights(weights);
    } catch (const std::exception& e) {
      FAIL() << "set_weights failed: " << e.what();
    }
  }

  ct::Tolerance tolerance(const char* what) const {
    return ct::Tolerance::from_json(info_["tolerances"][what]);
  }

  fs::path dir_;
  nlohmann::json info_;
  std::optional<keras::Model> model_;
};

std::string case_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace

// ---- every case: summary, layers, shapes, parameter counts ----

using ConvStructure = ConvCase;

TEST_P(ConvStructure, SummaryMatchesKeras) {
  // Keras in a pipe without COLUMNS: an 80-column console, line length 76.
  ct::EnvGuard columns("COLUMNS", "80");
  EXPECT_EQ(model_->summary_string(), ct::read_file(dir_ / "summary.txt"));
}

TEST_P(ConvStructure, LayersShapesAndParameterCounts) {
  EXPECT_EQ(model_->name(), info_["model_name"].get<std::string>());
  EXPECT_EQ(model_->count_params(), info_["count_params"].get<std::int64_t>());
  std::int64_t trainable = 0;
  for (const auto& v : model_->trainable_weights()) trainable += v.shape().num_elements();
  EXPECT_EQ(trainable, info_["trainable_params"].get<std::int64_t>());

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
    ASSERT_EQ(nodes.back()->output_shapes.size(), 1u) << e["name"];
    EXPECT_EQ(nodes.back()->output_shapes[0], ct::shape_from_json(e["output_shape"])) << e["name"];
  }
  ASSERT_EQ(model_->outputs().size(), 1u);
  EXPECT_EQ(model_->outputs()[0].shape(), ct::shape_from_json(info_["output_shape"]));

  const auto weights = model_->weights();
  ASSERT_EQ(weights.size(), info_["weights"].size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const auto& w = info_["weights"][i];
    // Keras 3.15 prefixes the model's name ("sequential/conv2d/kernel").
    const std::string keras_path = w["path"].get<std::string>();
    EXPECT_TRUE(keras_path == weights[i].path() ||
                keras_path == model_->name() + "/" + weights[i].path())
        << weights[i].path() << " vs Keras " << keras_path;
    EXPECT_EQ(weights[i].shape(), ct::shape_from_json(w["shape"])) << w["path"];
    EXPECT_EQ(weights[i].trainable(), w["trainable"].get<bool>()) << w["path"];
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, ConvStructure, testing::ValuesIn(ct::case_names()), case_name);

// ---- numeric cases: output and gradients ----

using ConvNumeric = ConvCase;

TEST_P(ConvNumeric, OutputMatchesKeras) {
  const keras::Tensor x = ct::load(dir_, info_["input"]["file"]);
  const keras::Tensor y = (*model_)(x, /*training=*/false);
  ct::expect_close(y, ct::load(dir_, info_["output"]["file"]), tolerance("outputs"), "output");
  // predict() (batched, through the model's runner) gives the same.
  ct::expect_close(model_->predict(x), ct::load(dir_, info_["output"]["file"]),
                   tolerance("outputs"), "predict");
}

TEST_P(ConvNumeric, GradientsMatchKeras) {
  const keras::Tensor x = ct::load(dir_, info_["input"]["file"]);
  const ct::LossGradients grads =
      ct::loss_gradients(*model_, x, ct::load(dir_, info_["output"]["cotangent"]));
  const auto& trainable = info_["trainable_weights"];
  ASSERT_EQ(grads.weights.size(), trainable.size()) << "trainable weights";
  const ct::Tolerance tol = tolerance("gradients");
  for (std::size_t k = 0; k < trainable.size(); ++k) {
    ct::expect_close(grads.weights[k], ct::load(dir_, trainable[k]["gradient"]), tol,
                     "d loss / d " + trainable[k]["path"].get<std::string>());
  }
  if (!info_["input"]["gradient"].is_null()) {
    ct::expect_close(grads.input, ct::load(dir_, info_["input"]["gradient"]), tol,
                     "d loss / d input");
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, ConvNumeric, testing::ValuesIn(ct::case_names("numeric")),
                         case_name);

// ---- the fixture set itself ----

TEST(ConvFixtures, IndexListsEveryCaseDirectory) {
  const nlohmann::json index = ct::read_json(ct::fixtures_dir() / "index.json");
  std::vector<std::string> listed = index["cases"].get<std::vector<std::string>>();
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, ct::case_names());
  EXPECT_GE(listed.size(), 60u);
  EXPECT_GE(ct::case_names("summary_only").size(), 1u);
}
