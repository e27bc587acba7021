// The metric machinery beyond the Keras fixtures: names, compile's
// "accuracy" resolution, masks, the loss tracker, errors.
#include <gtest/gtest.h>

#include "keras/metrics.hpp"
#include "losses/fixture_json.hpp"

namespace {

namespace M = keras::metrics;
using keras::Shape;
using keras::Tensor;

float value(const Tensor& t) { return t.item<float>(); }

Shape shape_of(const nlohmann::json& dims) {
  std::vector<std::int64_t> d;
  for (const auto& v : dims) d.push_back(v.is_null() ? keras::None : v.get<std::int64_t>());
  return Shape(d);
}

TEST(MetricResolution, AccuracyMatchesKerasCompile) {
  const auto fixtures = keras::testing::load_fixture("metrics/metrics.json");
  int checked = 0;
  for (const auto& r : fixtures["resolution"]) {
    if (r["kind"] != "metric") continue;
    const M::Metric m =
        M::resolve(r["identifier"], shape_of(r["y_true_shape"]), shape_of(r["y_pred_shape"]));
    EXPECT_EQ(m.class_name(), r["class_name"].get<std::string>()) << r.dump();
    EXPECT_EQ(m.name(), r["name"].get<std::string>()) << r.dump();
    // The overload taking the loss name decides the same way.
    EXPECT_EQ(
        M::resolve(r["identifier"], "mse", shape_of(r["y_true_shape"]), shape_of(r["y_pred_shape"]))
            .class_name(),
        r["class_name"].get<std::string>());
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(MetricResolution, AccuracyStringResolvesOnFirstUpdate) {
  const M::Metric acc("accuracy");
  EXPECT_EQ(acc.name(), "accuracy");
  EXPECT_EQ(acc.direction(), "up");
  EXPECT_FLOAT_EQ(value(acc.result()), 0.0f);
  // Sparse labels against 3 classes: 2 of 3 right.
  acc.update_state(Tensor(Shape{3}, std::vector<std::int32_t>{2, 0, 1}),
                   Tensor({3, 3}, {0.1f, 0.2f, 0.7f, 0.8f, 0.1f, 0.1f, 0.5f, 0.2f, 0.3f}));
  EXPECT_NEAR(value(acc.result()), 2.0f / 3.0f, 1e-6);
  const M::Metric bin("ACC");
  bin.update_state(Tensor({2, 1}, {1.0f, 0.0f}), Tensor({2, 1}, {0.9f, 0.6f}));
  EXPECT_FLOAT_EQ(value(bin.result()), 0.5f);
  EXPECT_EQ(bin.name(), "ACC");
}

TEST(MetricByName, NamesAndAliasesAsKeras) {
  EXPECT_EQ(M::Metric("mse").class_name(), "MeanSquaredError");
  EXPECT_EQ(M::Metric("mse").name(), "mse");
  EXPECT_EQ(M::get("mse").name(), "mean_squared_error");
  EXPECT_EQ(M::get("accuracy").class_name(), "Accuracy");  // get is not compile
  EXPECT_EQ(M::get("auc").class_name(), "AUC");
  EXPECT_EQ(M::get("top_k_categorical_accuracy").class_name(), "TopKCategoricalAccuracy");
  EXPECT_EQ(M::get("kl_divergence").class_name(), "KLDivergence");
  EXPECT_EQ(M::get("log_cosh_error").name(), "logcosh");
  EXPECT_EQ(M::get("BCE").class_name(), "BinaryCrossentropy");
  EXPECT_EQ(M::get("root_mean_squared_error").direction(), "down");
  // Keras' snake_case names of its classes.
  for (const char* name :
       {"binary_accuracy", "sparse_top_k_categorical_accuracy", "mean_absolute_percentage_error",
        "true_positives", "precision", "recall", "categorical_hinge", "cosine_similarity"}) {
    EXPECT_NO_THROW(M::get(name)) << name;
  }
  try {
    M::Metric("acuracy");
    FAIL() << "no error";
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("acuracy"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("sparse_categorical_accuracy"), std::string::npos);
  }
}

TEST(Metric, DefaultNamesOfUnnamedClassesAreUnique) {
  const std::string a = M::Precision().name();
  const std::string b = M::Precision().name();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("precision", 0), 0u);
  EXPECT_EQ(M::AUC({.name = "my_auc"}).name(), "my_auc");
}

TEST(Metric, MaskedTimestepsDoNotCount) {
  // (1, 4) labels, the last two steps masked: 1 right of the 2 valid.
  const Tensor y_true(Shape{1, 4}, std::vector<std::int32_t>{0, 1, 1, 1});
  const Tensor y_pred({1, 4, 2}, {0.9f, 0.1f, 0.8f, 0.2f, 0.1f, 0.9f, 0.1f, 0.9f});
  const Tensor mask(Shape{1, 4}, std::vector<bool>{true, true, false, false});
  const M::Metric acc = M::SparseCategoricalAccuracy();
  acc.update_state(y_true, y_pred, {}, mask);
  EXPECT_FLOAT_EQ(value(acc.result()), 0.5f);
  // A per-sample weight with the mask (Keras 3 cannot broadcast (batch,)
  // against (batch, time); kerascpp weights the sample's steps).
  const M::Metric weighted = M::SparseCategoricalAccuracy();
  weighted.update_state(y_true, y_pred, Tensor({1}, {2.0f}), mask);
  EXPECT_FLOAT_EQ(value(weighted.result()), 0.5f);
  const M::Metric unmasked = M::SparseCategoricalAccuracy();
  unmasked.update_state(y_true, y_pred);
  EXPECT_FLOAT_EQ(value(unmasked.result()), 0.75f);
}

TEST(Mean, LossTrackerWeightsByBatchSize) {
  const M::Mean loss({.name = "loss"});
  loss.update_state(2.0, 32);
  loss.update_state(Tensor::scalar(1.0), Tensor::scalar(8.0));
  EXPECT_NEAR(loss.result_value(), (2.0 * 32 + 1.0 * 8) / 40.0, 1e-12);
  EXPECT_EQ(loss.count(), 40.0);
  EXPECT_EQ(loss.name(), "loss");
  EXPECT_THROW(loss.update_state(Tensor::scalar(1.0), Tensor({2}, {1.0f, 1.0f})), keras::Error);
}

TEST(Metric, BadInputsNameTheMetricAndShapes) {
  const Tensor y_pred = Tensor::zeros({4, 3});
  try {
    M::categorical_accuracy(Tensor::zeros({5, 3}), y_pred);
    FAIL() << "no error";
  } catch (const keras::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("categorical_accuracy"), std::string::npos) << m;
    EXPECT_NE(m.find("(5, 3)"), std::string::npos) << m;
    EXPECT_NE(m.find("(4, 3)"), std::string::npos) << m;
  }
  EXPECT_THROW(M::sparse_categorical_accuracy(Tensor::zeros({4, 2}), y_pred), keras::Error);
  EXPECT_THROW(M::AUC({.curve = "RUC"}), keras::Error);
  EXPECT_THROW(M::Precision({.thresholds = {1.5}}), keras::Error);
  EXPECT_THROW(M::Precision({.class_id = 5}).update_state(y_pred, y_pred), keras::Error);
  EXPECT_THROW(M::MeanSquaredError().update_state(Tensor::zeros({4, 2}), y_pred), keras::Error);
}

TEST(Metric, ResultIsPerThresholdAndMetricCallUpdates) {
  const M::Metric recall = M::Recall({.thresholds = {0.2, 0.6}});
  const Tensor r = recall(Tensor({3}, {1, 1, 0}), Tensor({3}, {0.5f, 0.9f, 0.7f}));
  EXPECT_EQ(r.shape(), Shape({2}));
  EXPECT_FLOAT_EQ(r.to_vector<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(r.to_vector<float>()[1], 0.5f);
}

}  // namespace
