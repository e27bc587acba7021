// Every case under tests/fixtures/norm/ (made by real Keras 3.15.1, see
// reference/make_norm_fixtures.py): rebuilt from model.json and given Keras'
// weights, the model must print Keras' summary byte for byte, count the same
// parameters (trainable and not) and output shapes, compute Keras' outputs
// in inference (and, for BatchNormalization, training) mode, the gradients of
// L = sum_i sum(y_i * r_i) with respect to its trainable weights and float
// inputs, and, compiled with SGD and "mse", Keras' losses (regularization
// included) and weights (moving statistics and constraints included) after
// one train_on_batch step.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/sgd.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "norm/norm_fixture_testing.hpp"

namespace fs = std::filesystem;
namespace nt = kerascpp_testing::norm;

namespace {

keras::Shape shape_from_json(const nlohmann::json& v) {
  std::vector<std::int64_t> dims;
  for (const auto& d : v) dims.push_back(d.is_null() ? keras::None : d.get<std::int64_t>());
  return keras::Shape(dims);
}

class NormCase : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = nt::fixtures_dir() / GetParam();
    info_ = nt::read_json(dir_ / "case.json");
    keras::backend::clear_session();
    try {
      model_.emplace(keras::models::model_from_json_file((dir_ / "model.json").string()));
      if (info_.contains("weights")) {
        std::vector<keras::Tensor> weights;
        for (const auto& w : info_["weights"]) weights.push_back(nt::load(dir_, w["file"]));
        model_->set_weights(weights);
      }
    } catch (const std::exception& e) {
      FAIL() << "building the model failed: " << e.what();
    }
  }

  std::vector<keras::Tensor> inputs() const {
    std::vector<keras::Tensor> xs;
    for (const auto& x : info_["inputs"]) xs.push_back(nt::load(dir_, x["file"]));
    return xs;
  }
  nt::Tolerance tolerance(const char* what) const {
    return nt::Tolerance::from_json(info_["tolerances"][what]);
  }

  // Outputs and gradients of one mode ("inference" or "training") against Keras'.
  void check_mode(const char* mode, bool training) {
    const auto& expected = info_[mode];
    const std::vector<keras::Tensor> rs = nt::load_all(dir_, info_["cotangents"]);
    const nt::LossGradients got = nt::loss_gradients(*model_, inputs(), rs, training);
    const auto ys = nt::load_all(dir_, expected["outputs"]);
    ASSERT_EQ(got.outputs.size(), ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i) {
      nt::expect_close(got.outputs[i], ys[i], tolerance("outputs"),
                       std::string(mode) + " output " + std::to_string(i));
    }
    const auto& weight_grads = expected["weight_gradients"];
    ASSERT_EQ(got.weights.size(), weight_grads.size()) << "number of trainable weights";
    for (std::size_t k = 0; k < got.weights.size(); ++k) {
      nt::expect_close(got.weights[k], nt::load(dir_, weight_grads[k]), tolerance("gradients"),
                       std::string(mode) + " gradient of trainable weight " + std::to_string(k) +
                           " (" + model_->trainable_weights()[k].path() + ")");
    }
    const auto& input_grads = expected["input_gradients"];
    for (std::size_t i = 0; i < input_grads.size(); ++i) {
      if (input_grads[i].is_null()) continue;
      nt::expect_close(got.inputs[i], nt::load(dir_, input_grads[i]), tolerance("gradients"),
                       std::string(mode) + " gradient of input " + std::to_string(i),
                       info_.contains("keras_nan_gradients"));
    }
  }

  fs::path dir_;
  nlohmann::json info_;
  std::optional<keras::Model> model_;
};

std::string case_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace

// ---- every case: summary, parameter counts, layers and shapes ----

using NormSummary = NormCase;

TEST_P(NormSummary, MatchesKeras) {
  nt::EnvGuard columns("COLUMNS", "80");  // Keras in a pipe: 76 columns
  EXPECT_EQ(model_->summary_string(), nt::read_file(dir_ / "summary.txt"));
  EXPECT_EQ(model_->name(), info_["model_name"].get<std::string>());
  EXPECT_EQ(model_->count_params(), info_["count_params"].get<std::int64_t>());
  std::int64_t trainable = 0, frozen = 0;
  for (const auto& v : model_->trainable_weights()) trainable += v.shape().num_elements();
  for (const auto& v : model_->non_trainable_weights()) frozen += v.shape().num_elements();
  EXPECT_EQ(trainable, info_["trainable_params"].get<std::int64_t>());
  EXPECT_EQ(frozen, info_["non_trainable_params"].get<std::int64_t>());
  const auto layers = model_->layers();
  const auto& expected = info_["layers"];
  ASSERT_EQ(layers.size(), expected.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& e = expected[i];
    EXPECT_EQ(layers[i].name(), e["name"].get<std::string>());
    EXPECT_EQ(layers[i].class_name(), e["class_name"].get<std::string>());
    EXPECT_EQ(layers[i].count_params(), e["count_params"].get<std::int64_t>()) << e["name"];
    const auto nodes = layers[i].impl().inbound_nodes();
    ASSERT_FALSE(nodes.empty()) << e["name"];
    ASSERT_EQ(nodes.back()->output_shapes.size(), 1u) << e["name"];
    EXPECT_EQ(nodes.back()->output_shapes[0], shape_from_json(e["output_shape"])) << e["name"];
  }
  if (info_.contains("weights")) {
    const auto weights = model_->weights();
    ASSERT_EQ(weights.size(), info_["weights"].size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const auto& w = info_["weights"][i];
      // Keras' paths start with the model's name ("sequential/dense/kernel").
      const std::string keras_path = w["path"].get<std::string>();
      EXPECT_TRUE(keras_path.ends_with("/" + weights[i].path()) || keras_path == weights[i].path())
          << weights[i].path() << " vs Keras " << keras_path;
      EXPECT_EQ(weights[i].shape(), shape_from_json(w["shape"])) << w["path"];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, NormSummary, testing::ValuesIn(nt::case_names()), case_name);

// ---- outputs and gradients in inference mode ----

using NormInference = NormCase;

TEST_P(NormInference, OutputsAndGradientsMatchKeras) { check_mode("inference", false); }

TEST_P(NormInference, PredictMatchesKeras) {
  const std::vector<keras::Tensor> ys = model_->predict(inputs());
  const auto expected = nt::load_all(dir_, info_["inference"]["outputs"]);
  ASSERT_EQ(ys.size(), expected.size());
  for (std::size_t i = 0; i < ys.size(); ++i) {
    nt::expect_close(ys[i], expected[i], tolerance("outputs"),
                     "predict output " + std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, NormInference, testing::ValuesIn(nt::case_names("inference")),
                         case_name);

// ---- outputs and gradients in training mode (batch statistics) ----

using NormTraining = NormCase;

TEST_P(NormTraining, OutputsAndGradientsMatchKeras) { check_mode("training", true); }

INSTANTIATE_TEST_SUITE_P(Keras, NormTraining, testing::ValuesIn(nt::case_names("training")),
                         case_name);

// ---- one SGD step: losses with regularization, weights after ----

using NormTrainStep = NormCase;

TEST_P(NormTrainStep, LossesAndWeightsMatchKeras) {
  const auto& step = info_["train_step"];
  model_->compile(
      {.optimizer = keras::optimizers::SGD({.learning_rate = step["learning_rate"].get<double>()}),
       .loss = "mse"});
  const std::vector<keras::Tensor> xs = inputs();
  const std::vector<keras::Tensor> ts = nt::load_all(dir_, step["targets"]);
  const auto tol = tolerance("loss");
  const double test_loss = model_->test_on_batch(xs, ts).at(0);
  const double want_test = step["test_loss"].get<double>();
  EXPECT_NEAR(test_loss, want_test, tol.atol + tol.rtol * std::abs(want_test)) << "test_on_batch";
  const double train_loss = model_->train_on_batch(xs, ts).at(0);
  const double want_train = step["train_loss"].get<double>();
  EXPECT_NEAR(train_loss, want_train, tol.atol + tol.rtol * std::abs(want_train))
      << "train_on_batch";
  const auto weights = model_->weights();
  const auto& after = step["weights_after"];
  ASSERT_EQ(weights.size(), after.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    nt::expect_close(weights[i].value(), nt::load(dir_, after[i]), tolerance("weights_after_step"),
                     "weight " + weights[i].path() + " after one step");
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, NormTrainStep, testing::ValuesIn(nt::case_names("train_step")),
                         case_name);

TEST(NormFixtures, AreThere) { EXPECT_GE(nt::case_names().size(), 70u); }
