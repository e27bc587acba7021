// The loss machinery beyond the Keras fixtures: names, compile's string
// resolution, errors, weights of a lower rank, custom functions.
#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "keras/losses.hpp"
#include "keras/ops.hpp"
#include "losses/fixture_json.hpp"

namespace {

namespace L = keras::losses;
using keras::Shape;
using keras::Tensor;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "";
}

float scalar(const Tensor& t) { return t.item<float>(); }

TEST(LossByName, CompileStringsAndAliases) {
  EXPECT_EQ(L::Loss("mse").class_name(), "MeanSquaredError");
  EXPECT_EQ(L::Loss("mse").name(), "mse");
  EXPECT_EQ(L::Loss("MSE").name(), "MSE");
  EXPECT_EQ(L::Loss("mean_squared_error").name(), "mean_squared_error");
  EXPECT_EQ(L::Loss("CategoricalCrossentropy").name(), "categorical_crossentropy");
  EXPECT_EQ(L::Loss("Huber").name(), "huber_loss");
  EXPECT_EQ(L::Loss("huber").name(), "huber");
  EXPECT_EQ(L::Loss("bce").class_name(), "BinaryCrossentropy");
  EXPECT_EQ(L::Loss("kld").class_name(), "KLDivergence");
  EXPECT_EQ(L::Loss("mae").class_name(), "MeanAbsoluteError");
  EXPECT_EQ(L::Loss("mape").class_name(), "MeanAbsolutePercentageError");
  EXPECT_EQ(L::Loss("msle").class_name(), "MeanSquaredLogarithmicError");
  EXPECT_EQ(L::Loss("sparse_categorical_crossentropy").reduction(), "sum_over_batch_size");
  // keras.losses.get names a function by its own name.
  EXPECT_EQ(L::get("mse").name(), "mean_squared_error");
  EXPECT_EQ(L::get("LogCosh").name(), "log_cosh");
}

TEST(LossByName, UnknownNameListsTheKnownOnes) {
  const std::string message = error_of([] { L::Loss("mean_sqared_error"); });
  EXPECT_NE(message.find("mean_sqared_error"), std::string::npos) << message;
  EXPECT_NE(message.find("mean_squared_error"), std::string::npos) << message;
  EXPECT_NE(message.find("categorical_crossentropy"), std::string::npos) << message;
  EXPECT_THROW(L::get("crossentropy"), keras::Error);  // only compile resolves it
}

TEST(LossByName, CrossentropyResolutionMatchesKeras) {
  const auto fixtures = keras::testing::load_fixture("metrics/metrics.json");
  int checked = 0;
  for (const auto& r : fixtures["resolution"]) {
    if (r["kind"] != "loss") continue;
    auto shape = [](const nlohmann::json& dims) {
      std::vector<std::int64_t> d;
      for (const auto& v : dims) d.push_back(v.is_null() ? keras::None : v.get<std::int64_t>());
      return Shape(d);
    };
    const L::Loss loss =
        L::resolve(r["identifier"], shape(r["y_true_shape"]), shape(r["y_pred_shape"]));
    const std::string function = r["function"];
    const std::map<std::string, std::string> classes = {
        {"binary_crossentropy", "BinaryCrossentropy"},
        {"categorical_crossentropy", "CategoricalCrossentropy"},
        {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}};
    EXPECT_EQ(loss.class_name(), classes.at(function)) << r.dump();
    EXPECT_EQ(loss.name(), r["name"].get<std::string>());
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(LossByName, CrossentropyStringResolvesOnFirstCall) {
  const L::Loss loss("crossentropy");
  const Tensor y_true(Shape{2}, std::vector<std::int32_t>{1, 0});
  const Tensor y_pred({2, 3}, {0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f});
  const float expected = scalar(L::SparseCategoricalCrossentropy()(y_true, y_pred));
  EXPECT_NEAR(scalar(loss(y_true, y_pred)), expected, 1e-6);
  EXPECT_NEAR(expected, (-std::log(0.7) - std::log(0.5)) / 2, 1e-6);
}

TEST(Loss, ShapeMismatchNamesTheLossAndBothShapes) {
  const Tensor y_true = Tensor::zeros({4, 2});
  const Tensor y_pred = Tensor::zeros({4, 3});
  const std::string message = error_of([&] { L::MeanSquaredError()(y_true, y_pred); });
  EXPECT_NE(message.find("mean_squared_error"), std::string::npos) << message;
  EXPECT_NE(message.find("(4, 2)"), std::string::npos) << message;
  EXPECT_NE(message.find("(4, 3)"), std::string::npos) << message;
  EXPECT_THROW(L::categorical_crossentropy(y_true, y_pred), keras::Error);
  EXPECT_THROW(L::binary_crossentropy(Tensor::zeros({4}), Tensor::zeros({4, 2})), keras::Error);
}

TEST(Loss, SparseLabelOutOfRangeNamesTheLabel) {
  const Tensor y_pred = Tensor::full({3, 4}, 0.25);
  const Tensor bad(Shape{3}, std::vector<std::int64_t>{0, 4, 1});
  const std::string message = error_of([&] { L::sparse_categorical_crossentropy(bad, y_pred); });
  EXPECT_NE(message.find("label 4"), std::string::npos) << message;
  EXPECT_NE(message.find("[0, 4)"), std::string::npos) << message;
  EXPECT_THROW(L::sparse_categorical_crossentropy(
                   Tensor(Shape{3}, std::vector<std::int32_t>{0, -1, 1}), y_pred),
               keras::Error);
  // The ignored class may lie outside the range.
  const Tensor ignored(Shape{3}, std::vector<std::int32_t>{0, -1, 1});
  const Tensor values = L::sparse_categorical_crossentropy(ignored, y_pred, false, -1);
  EXPECT_FLOAT_EQ(values.to_vector<float>()[1], 0.0f);
  EXPECT_NEAR(values.to_vector<float>()[0], std::log(4.0), 1e-6);
  // Labels of a wrong shape.
  EXPECT_THROW(L::sparse_categorical_crossentropy(Tensor::zeros({3, 2}), y_pred), keras::Error);
}

TEST(Loss, IntegerAndFloatLabelsGiveTheSameSparseLoss) {
  const Tensor y_pred({3, 2}, {0.1f, 0.9f, 0.6f, 0.4f, 0.5f, 0.5f});
  const Tensor ints(Shape{3, 1}, std::vector<std::int32_t>{1, 0, 1});
  const Tensor floats({3, 1}, {1.0f, 0.0f, 1.0f});
  const auto loss = L::SparseCategoricalCrossentropy();
  EXPECT_FLOAT_EQ(scalar(loss(ints, y_pred)), scalar(loss(floats, y_pred)));
}

TEST(Loss, PerSampleWeightOfMaskedSequencesWeightsWholeSamples) {
  // Keras 3 cannot broadcast a (batch,) weight against a (batch, time) mask;
  // kerascpp weights each sample's time steps, as a (batch, 1) weight does.
  const Tensor y_true =
      keras::ops::reshape(Tensor({24}, std::vector<float>(24, 0.5f)), Shape{2, 3, 4});
  std::vector<float> p(24);
  for (int i = 0; i < 24; ++i) p[static_cast<std::size_t>(i)] = 0.1f * static_cast<float>(i % 7);
  const Tensor y_pred(Shape{2, 3, 4}, p);
  const Tensor mask(Shape{2, 3}, std::vector<bool>{true, true, false, true, false, false});
  const Tensor w1({2}, {1.5f, 0.5f});
  const Tensor w2({2, 1}, {1.5f, 0.5f});
  for (const char* reduction : {"sum_over_batch_size", "sum", "mean_with_sample_weight"}) {
    const auto loss = L::MeanSquaredError({.reduction = reduction});
    EXPECT_FLOAT_EQ(scalar(loss(y_true, y_pred, w1, mask)), scalar(loss(y_true, y_pred, w2, mask)))
        << reduction;
    EXPECT_FLOAT_EQ(scalar(loss(y_true, y_pred, w1)), scalar(loss(y_true, y_pred, w2)))
        << reduction;
  }
  const std::string message = error_of([&] {
    L::MeanSquaredError()(y_true, y_pred, Tensor({5}, {1, 1, 1, 1, 1}));
  });
  EXPECT_NE(message.find("sample_weight"), std::string::npos) << message;
}

TEST(Loss, ReductionsOfEmptyAndScalarValues) {
  EXPECT_THROW(L::MeanSquaredError({.reduction = "avg"}), keras::Error);
  // Per-sample values of shape () are returned unreduced, as Keras does.
  const Tensor v = L::MeanSquaredError({.reduction = "sum"})(Tensor({2}, {1.0f, 2.0f}),
                                                             Tensor({2}, {0.0f, 0.0f}));
  EXPECT_EQ(v.rank(), 0);
  EXPECT_FLOAT_EQ(scalar(v), 2.5f);
  const Tensor empty = L::MeanSquaredError()(Tensor::zeros({0, 3}), Tensor::zeros({0, 3}));
  EXPECT_EQ(empty.shape(), Shape({0}));
}

TEST(Loss, CustomFunctionThroughLossFunctionWrapper) {
  const L::Loss loss = L::LossFunctionWrapper(
      [](const Tensor& t, const Tensor& p) {
        return keras::ops::mean(keras::ops::abs(keras::ops::subtract(t, p)), {-1});
      },
      {.reduction = "sum", .name = "my_mae"});
  EXPECT_EQ(loss.name(), "my_mae");
  const Tensor y_true({2, 2}, {0, 1, 2, 3});
  const Tensor y_pred({2, 2}, {1, 1, 2, 5});
  EXPECT_FLOAT_EQ(scalar(loss(y_true, y_pred)), 0.5f + 1.0f);
}

TEST(Loss, Float64ThroughAndDtypeOption) {
  const Tensor y_true = Tensor({2, 2}, {0, 1, 1, 0}).astype(keras::DType::float64);
  const Tensor y_pred = Tensor({2, 2}, {0.2f, 0.8f, 0.6f, 0.4f}).astype(keras::DType::float64);
  EXPECT_EQ(L::BinaryCrossentropy()(y_true, y_pred).dtype(), keras::DType::float64);
  EXPECT_EQ(L::BinaryCrossentropy({.dtype = "float32"})(y_true, y_pred).dtype(),
            keras::DType::float32);
  EXPECT_THROW(L::BinaryCrossentropy({.dtype = "int32"}), keras::Error);
}

TEST(Loss, GradientReachesOnlyValidPositionsOfAMask) {
  const Tensor y_true = Tensor::zeros({1, 3, 2});
  const Tensor y_pred({1, 3, 2}, {1, 2, 3, 4, 5, 6});
  const Tensor mask(Shape{1, 3}, std::vector<bool>{true, false, true});
  keras::GradientTape tape;
  tape.watch(y_pred);
  const Tensor loss = L::MeanSquaredError()(y_true, y_pred, {}, mask);
  // mean over the 2 valid steps of mean over 2 features of p^2.
  EXPECT_FLOAT_EQ(scalar(loss), ((1 + 4) / 2.0f + (25 + 36) / 2.0f) / 2.0f);
  const auto g = tape.gradient(loss, std::vector<Tensor>{y_pred})[0].to_vector<float>();
  const std::vector<float> expected = {0.5f, 1.0f, 0.0f, 0.0f, 2.5f, 3.0f};
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_FLOAT_EQ(g[i], expected[i]) << i;
}

TEST(Loss, FloatMaskActsAsBoolMaskWithIgnoreClass) {
  const Tensor y_true(Shape{1, 3}, std::vector<std::int32_t>{0, 2, 1});
  const Tensor y_pred({1, 3, 3}, {0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f, 0.3f, 0.6f, 0.1f});
  const Tensor bool_mask(Shape{1, 3}, std::vector<bool>{true, true, false});
  const Tensor float_mask({1, 3}, {1.0f, 1.0f, 0.0f});
  const auto loss = L::SparseCategoricalCrossentropy({.ignore_class = 2});
  const float expected = scalar(loss(y_true, y_pred, {}, bool_mask));
  EXPECT_FLOAT_EQ(scalar(loss(y_true, y_pred, {}, float_mask)), expected);
  // Only the first step is valid (the second is ignored, the third masked).
  EXPECT_NEAR(expected, -std::log(0.2f), 1e-6);
}

}  // namespace
