// Every metric against real Keras (tests/fixtures/metrics/metrics.json, from
// reference/make_loss_metric_fixtures.py): a few update_state calls on fixed
// data with result() after each, then reset_state() and one more update.
#include "keras/metrics.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "losses/fixture_json.hpp"

namespace {

namespace M = keras::metrics;
using keras::Tensor;
using nlohmann::json;

const json& fixtures() {
  static const json j = keras::testing::load_fixture("metrics/metrics.json");
  return j;
}

const json& find_case(const std::string& name) {
  for (const auto& c : fixtures()["cases"]) {
    if (c["name"] == name) return c;
  }
  throw std::runtime_error("no metric fixture " + name);
}

std::vector<double> doubles(const json& o, const char* key) {
  return o.contains(key) ? o[key].get<std::vector<double>>() : std::vector<double>{};
}

M::Metric make_metric(const json& c) {
  const std::string cls = c["class_name"];
  const json& o = c["options"];
  static const std::map<std::string, std::function<M::Metric()>> simple = {
      {"Accuracy", [] { return M::Accuracy(); }},
      {"CategoricalAccuracy", [] { return M::CategoricalAccuracy(); }},
      {"SparseCategoricalAccuracy", [] { return M::SparseCategoricalAccuracy(); }},
      {"MeanSquaredError", [] { return M::MeanSquaredError(); }},
      {"MeanAbsoluteError", [] { return M::MeanAbsoluteError(); }},
      {"MeanAbsolutePercentageError", [] { return M::MeanAbsolutePercentageError(); }},
      {"MeanSquaredLogarithmicError", [] { return M::MeanSquaredLogarithmicError(); }},
      {"RootMeanSquaredError", [] { return M::RootMeanSquaredError(); }},
      {"LogCoshError", [] { return M::LogCoshError(); }},
      {"CosineSimilarity", [] { return M::CosineSimilarity(); }},
      {"Poisson", [] { return M::Poisson(); }},
      {"Hinge", [] { return M::Hinge(); }},
      {"SquaredHinge", [] { return M::SquaredHinge(); }},
      {"CategoricalHinge", [] { return M::CategoricalHinge(); }},
      {"KLDivergence", [] { return M::KLDivergence(); }},
      {"CategoricalCrossentropy", [] { return M::CategoricalCrossentropy(); }},
      {"SparseCategoricalCrossentropy", [] { return M::SparseCategoricalCrossentropy(); }},
      {"BinaryCrossentropy", [] { return M::BinaryCrossentropy(); }},
  };
  if (cls == "SparseCategoricalCrossentropy" && o.contains("ignore_class")) {
    return M::SparseCategoricalCrossentropy(
        {.ignore_class = o["ignore_class"].get<std::int64_t>()});
  }
  if (auto it = simple.find(cls); it != simple.end()) return it->second();
  if (cls == "BinaryAccuracy") return M::BinaryAccuracy({.threshold = o.value("threshold", 0.5)});
  if (cls == "TopKCategoricalAccuracy") return M::TopKCategoricalAccuracy({.k = o.value("k", 5)});
  if (cls == "SparseTopKCategoricalAccuracy") {
    return M::SparseTopKCategoricalAccuracy({.k = o.value("k", 5)});
  }
  auto optional_int = [&](const char* key) {
    return o.contains(key) ? std::optional<int>(o[key].get<int>()) : std::nullopt;
  };
  if (cls == "Precision") {
    return M::Precision({.thresholds = doubles(o, "thresholds"),
                         .top_k = optional_int("top_k"),
                         .class_id = optional_int("class_id")});
  }
  if (cls == "Recall") {
    return M::Recall({.thresholds = doubles(o, "thresholds"),
                      .top_k = optional_int("top_k"),
                      .class_id = optional_int("class_id")});
  }
  const M::ConfusionCountOptions counts{.thresholds = doubles(o, "thresholds")};
  if (cls == "TruePositives") return M::TruePositives(counts);
  if (cls == "TrueNegatives") return M::TrueNegatives(counts);
  if (cls == "FalsePositives") return M::FalsePositives(counts);
  if (cls == "FalseNegatives") return M::FalseNegatives(counts);
  if (cls == "AUC") {
    return M::AUC({.num_thresholds = o.value("num_thresholds", 200),
                   .curve = o.value("curve", std::string("ROC")),
                   .summation_method = o.value("summation_method", std::string("interpolation")),
                   .thresholds = doubles(o, "thresholds"),
                   .from_logits = o.value("from_logits", false)});
  }
  throw std::runtime_error("no metric class " + cls);
}

// Keras' default name, without the _1, _2 that make names unique.
std::string base_name(const std::string& name) {
  const auto underscore = name.rfind('_');
  if (underscore == std::string::npos) return name;
  const std::string tail = name.substr(underscore + 1);
  const bool digits = !tail.empty() && tail.find_first_not_of("0123456789") == std::string::npos;
  return digits ? name.substr(0, underscore) : name;
}

std::vector<std::string> case_names(bool mean) {
  std::vector<std::string> names;
  for (const auto& c : fixtures()["cases"]) {
    if ((c["class_name"] == "Mean") == mean) names.push_back(c["name"]);
  }
  return names;
}

class KerasMetric : public testing::TestWithParam<std::string> {};

TEST_P(KerasMetric, UpdatesResultsAndResetMatchKeras) {
  using keras::testing::tensor_from_json;
  const json& c = find_case(GetParam());
  const M::Metric metric = make_metric(c);
  EXPECT_EQ(metric.class_name(), c["class_name"].get<std::string>());
  EXPECT_EQ(base_name(metric.name()), base_name(c["metric_name"]));
  auto update = [&](const json& u) {
    metric.update_state(
        tensor_from_json(u["y_true"]), tensor_from_json(u["y_pred"]),
        u.contains("sample_weight") ? tensor_from_json(u["sample_weight"]) : Tensor(),
        u.contains("mask") ? tensor_from_json(u["mask"]) : Tensor());
  };
  const auto& updates = c["updates"];
  for (std::size_t i = 0; i < updates.size(); ++i) {
    update(updates[i]);
    keras::testing::expect_close_to_json(metric.result(), c["results"][i], 1e-5,
                                         GetParam() + " after update " + std::to_string(i));
  }
  metric.reset_state();
  keras::testing::expect_close_to_json(metric.result(), c["after_reset"], 1e-5,
                                       GetParam() + " after reset");
  update(updates.back());
  keras::testing::expect_close_to_json(metric.result(), c["results_after_reset"], 1e-5,
                                       GetParam() + " after reset and update");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasMetric, testing::ValuesIn(case_names(false)),
                         [](const auto& info) { return info.param; });

class KerasMean : public testing::TestWithParam<std::string> {};

TEST_P(KerasMean, WeightedRunningMeanMatchesKeras) {
  using keras::testing::tensor_from_json;
  const json& c = find_case(GetParam());
  const M::Mean mean;
  EXPECT_EQ(mean.name(), "mean");
  const auto& updates = c["updates"];
  for (std::size_t i = 0; i < updates.size(); ++i) {
    const auto& u = updates[i];
    mean.update_state(tensor_from_json(u["values"]), u.contains("sample_weight")
                                                         ? tensor_from_json(u["sample_weight"])
                                                         : Tensor());
    keras::testing::expect_close_to_json(mean.result(), c["results"][i], 1e-5,
                                         GetParam() + " after update " + std::to_string(i));
  }
  mean.reset_state();
  EXPECT_EQ(mean.result_value(), 0.0);
  EXPECT_EQ(mean.count(), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasMean, testing::ValuesIn(case_names(true)),
                         [](const auto& info) { return info.param; });

}  // namespace
