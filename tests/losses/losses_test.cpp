// Every loss against real Keras (tests/fixtures/losses/losses.json, from
// reference/make_loss_metric_fixtures.py): the per-sample values of the loss
// function, the loss under each reduction with sample weights and masks, and
// its gradient with respect to y_pred, in float32 and float64.
#include "keras/losses.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "losses/fixture_json.hpp"

namespace {

namespace L = keras::losses;
using keras::Tensor;
using nlohmann::json;

const json& fixtures() {
  static const json j = keras::testing::load_fixture("losses/losses.json");
  return j;
}

const json& find_case(const std::string& name) {
  for (const auto& c : fixtures()["cases"]) {
    if (c["name"] == name) return c;
  }
  throw std::runtime_error("no loss fixture " + name);
}

// The Keras class of the fixture with its options and this reduction.
L::Loss make_loss(const json& c, const std::string& reduction) {
  const std::string cls = c["class_name"];
  const json& o = c["options"];
  const bool from_logits = o.value("from_logits", false);
  const double label_smoothing = o.value("label_smoothing", 0.0);
  const int axis = o.value("axis", -1);
  const L::LossOptions common{.reduction = reduction};
  if (cls == "MeanSquaredError") return L::MeanSquaredError(common);
  if (cls == "MeanAbsoluteError") return L::MeanAbsoluteError(common);
  if (cls == "MeanAbsolutePercentageError") return L::MeanAbsolutePercentageError(common);
  if (cls == "MeanSquaredLogarithmicError") return L::MeanSquaredLogarithmicError(common);
  if (cls == "LogCosh") return L::LogCosh(common);
  if (cls == "Huber") return L::Huber({.delta = o.value("delta", 1.0), .reduction = reduction});
  if (cls == "CosineSimilarity") return L::CosineSimilarity({.axis = axis, .reduction = reduction});
  if (cls == "KLDivergence") return L::KLDivergence(common);
  if (cls == "Poisson") return L::Poisson(common);
  if (cls == "Hinge") return L::Hinge(common);
  if (cls == "SquaredHinge") return L::SquaredHinge(common);
  if (cls == "CategoricalHinge") return L::CategoricalHinge(common);
  if (cls == "BinaryCrossentropy") {
    return L::BinaryCrossentropy({.from_logits = from_logits,
                                  .label_smoothing = label_smoothing,
                                  .axis = axis,
                                  .reduction = reduction});
  }
  if (cls == "CategoricalCrossentropy") {
    return L::CategoricalCrossentropy({.from_logits = from_logits,
                                       .label_smoothing = label_smoothing,
                                       .axis = axis,
                                       .reduction = reduction});
  }
  if (cls == "SparseCategoricalCrossentropy") {
    L::SparseCategoricalCrossentropyOptions so{.from_logits = from_logits, .reduction = reduction};
    if (o.contains("ignore_class")) so.ignore_class = o["ignore_class"].get<std::int64_t>();
    return L::SparseCategoricalCrossentropy(so);
  }
  throw std::runtime_error("no loss class " + cls);
}

// The fixture's free function with its options.
Tensor call_function(const json& c, const Tensor& y_true, const Tensor& y_pred) {
  const std::string fn = c["function"];
  const json& o = c["options"];
  const bool from_logits = o.value("from_logits", false);
  const double ls = o.value("label_smoothing", 0.0);
  const int axis = o.value("axis", -1);
  if (fn == "mean_squared_error") return L::mean_squared_error(y_true, y_pred);
  if (fn == "mean_absolute_error") return L::mean_absolute_error(y_true, y_pred);
  if (fn == "mean_absolute_percentage_error") {
    return L::mean_absolute_percentage_error(y_true, y_pred);
  }
  if (fn == "mean_squared_logarithmic_error") {
    return L::mean_squared_logarithmic_error(y_true, y_pred);
  }
  if (fn == "log_cosh") return L::log_cosh(y_true, y_pred);
  if (fn == "huber") return L::huber(y_true, y_pred, o.value("delta", 1.0));
  if (fn == "cosine_similarity") return L::cosine_similarity(y_true, y_pred, axis);
  if (fn == "kl_divergence") return L::kl_divergence(y_true, y_pred);
  if (fn == "poisson") return L::poisson(y_true, y_pred);
  if (fn == "hinge") return L::hinge(y_true, y_pred);
  if (fn == "squared_hinge") return L::squared_hinge(y_true, y_pred);
  if (fn == "categorical_hinge") return L::categorical_hinge(y_true, y_pred);
  if (fn == "binary_crossentropy")
    return L::binary_crossentropy(y_true, y_pred, from_logits, ls, axis);
  if (fn == "categorical_crossentropy") {
    return L::categorical_crossentropy(y_true, y_pred, from_logits, ls, axis);
  }
  if (fn == "sparse_categorical_crossentropy") {
    std::optional<std::int64_t> ignore;
    if (o.contains("ignore_class")) ignore = o["ignore_class"].get<std::int64_t>();
    return L::sparse_categorical_crossentropy(y_true, y_pred, from_logits, ignore, axis);
  }
  throw std::runtime_error("no loss function " + fn);
}

struct Inputs {
  Tensor y_true, y_pred, sample_weight, mask;
};

Inputs inputs(const json& c, keras::DType dtype) {
  using keras::testing::tensor_from_json;
  return {tensor_from_json(c["y_true"], dtype), tensor_from_json(c["y_pred"], dtype),
          tensor_from_json(c["sample_weight"], dtype), tensor_from_json(c["mask"], dtype)};
}

// The loss and its gradient with respect to y_pred (of the sum when unreduced).
std::pair<Tensor, Tensor> loss_and_gradient(const L::Loss& loss, const Inputs& in) {
  keras::GradientTape tape;
  tape.watch(in.y_pred);
  Tensor value = loss(in.y_true, in.y_pred, in.sample_weight, in.mask);
  Tensor grad = tape.gradient(value, std::vector<Tensor>{in.y_pred})[0];
  return {value, grad};
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : fixtures()["cases"]) names.push_back(c["name"]);
  return names;
}

// Keras computed the fixtures in float32; float64 gives the same numbers
// except where float32 rounding is the point: the clip bound 1 - 1e-7 is
// 1 - 1.19e-7 in float32, so log(1 - p) at the bound differs by 0.18.
std::vector<keras::DType> dtypes_for(const std::string& name) {
  if (name == "bce_clipped") return {keras::DType::float32};
  return {keras::DType::float32, keras::DType::float64};
}

class KerasLoss : public testing::TestWithParam<std::string> {};

TEST_P(KerasLoss, FunctionValuesMatchKeras) {
  const json& c = find_case(GetParam());
  if (!c.contains("function")) GTEST_SKIP() << "no free-function values for this case";
  for (keras::DType dtype : dtypes_for(GetParam())) {
    const Inputs in = inputs(c, dtype);
    const Tensor values = call_function(c, in.y_true, in.y_pred);
    EXPECT_EQ(values.dtype(), dtype);
    keras::testing::expect_close_to_json(
        values, c["values"], 1e-5, GetParam() + " values " + std::string(keras::dtype_name(dtype)));
  }
}

TEST_P(KerasLoss, EveryReductionAndGradientMatchKeras) {
  const json& c = find_case(GetParam());
  for (keras::DType dtype : dtypes_for(GetParam())) {
    const Inputs in = inputs(c, dtype);
    for (const auto& [reduction, expected] : c["reductions"].items()) {
      const L::Loss loss = make_loss(c, reduction);
      EXPECT_EQ(loss.name(), c["loss_name"].get<std::string>());
      const std::string what =
          GetParam() + " " + reduction + " " + std::string(keras::dtype_name(dtype));
      auto [value, grad] = loss_and_gradient(loss, in);
      EXPECT_EQ(value.dtype(), dtype) << what;
      keras::testing::expect_close_to_json(value, expected["loss"], 1e-5, what + " loss");
      keras::testing::expect_close_to_json(grad, expected["grad"], 1e-4, what + " gradient");
    }
  }
}

// Central differences of the default-reduction loss in float64.
TEST_P(KerasLoss, GradientMatchesFiniteDifferences) {
  const json& c = find_case(GetParam());
  // At the clip boundaries (1e-9 against the 1e-7 clip) the loss has a kink
  // within the step; a zero y_pred vector has no cosine gradient.
  if (GetParam() == "bce_clipped" || GetParam() == "scce_clipped" ||
      GetParam() == "cosine_similarity_zero") {
    GTEST_SKIP() << "not differentiable at the fixture's points";
  }
  const Inputs in = inputs(c, keras::DType::float64);
  const L::Loss loss = make_loss(c, "sum_over_batch_size");
  const Tensor grad = loss_and_gradient(loss, in).second;
  const std::vector<double> analytic = grad.to_vector<double>();
  for (std::int64_t i = 0; i < in.y_pred.size(); ++i) {
    auto at = [&](double delta) {
      Tensor p = in.y_pred.clone();
      p.data<double>()[i] += delta;
      return keras::ops::sum(loss(in.y_true, p, in.sample_weight, in.mask)).item<double>();
    };
    // Two steps: rounding dominates the small one when the loss is large
    // (mape_zero_true is about 2e8), curvature the large one.
    const double g = analytic[static_cast<std::size_t>(i)];
    double best = 0.0;
    double error = INFINITY;
    for (double h : {1e-6, 1e-4}) {
      const double numeric = (at(h) - at(-h)) / (2 * h);
      if (std::fabs(numeric - g) < error) {
        error = std::fabs(numeric - g);
        best = numeric;
      }
    }
    EXPECT_NEAR(g, best, 1e-5 * std::max(1.0, std::fabs(best))) << GetParam() << " element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasLoss, testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
