// compile_config with loss, metric and learning-rate-schedule OBJECTS, both
// ways: what Keras serialized (tests/fixtures/compile_config, made by
// reference/make_compile_config_fixtures.py) reads back to objects that
// compute what Keras' do and write back to the same JSON; .keras models Keras
// compiled with objects load compiled and keep training as Keras does.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "keras/error.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/compile_config.hpp"
#include "saving/config_testing.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
namespace schedules = keras::optimizers::schedules;
using json = nlohmann::ordered_json;
using keras::config_testing::difference;
using keras::keras_file_testing::error_of;
using keras::keras_file_testing::expect_close;
using keras::keras_file_testing::numbered_npy;
using keras::keras_file_testing::read_member;
using keras::saving_testing::TempDir;

const std::string kDir = std::string(KERASCPP_FIXTURES_DIR) + "/compile_config";

json read_json(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

const json& objects() {
  static const json all = read_json(kDir + "/objects.json");
  return all;
}

void expect_contains(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "\"" << part << "\" not in: " << message;
}

// The sample's object as kerascpp writes it back.
json write_back(const json& sample) {
  const std::string kind = sample.at("kind");
  const json& object = sample.at("object");
  if (kind == "loss") return keras::saving::loss_json(keras::saving::loss_from_json(object, "$"));
  if (kind == "metric") {
    return keras::saving::metric_json(keras::saving::metric_from_json(object, "$"));
  }
  return keras::saving::schedule_json(*keras::saving::schedule_from_json(object, "$"));
}

std::vector<double> flat(const json& v) {
  if (!v.is_array()) return {v.get<double>()};
  std::vector<double> out;
  for (const json& item : v) {
    for (double d : flat(item)) out.push_back(d);
  }
  return out;
}

keras::Shape shape_of(const json& v) {
  std::vector<std::int64_t> dims;
  for (const json* p = &v; p->is_array(); p = &(*p)[0]) dims.push_back(p->size());
  return keras::Shape(dims);
}

keras::Tensor tensor_of(const json& v, const std::string& dtype) {
  const std::vector<double> values = flat(v);
  keras::Tensor t(shape_of(v), std::vector<float>(values.begin(), values.end()));
  return dtype == "int32" ? t.astype(keras::DType::int32) : t;
}

void expect_values(const keras::Tensor& got, const json& want, double tol) {
  const std::vector<double> w = flat(want);
  const std::vector<double> g = got.astype(keras::DType::float64).to_vector<double>();
  ASSERT_EQ(g.size(), w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_NEAR(g[i], w[i], tol * std::max(1.0, std::fabs(w[i]))) << "value " << i;
  }
}

// ---- each object, against Keras ----

TEST(CompileConfigObjects, ReadAndWriteBackEqualToKeras) {
  int compared = 0;
  for (const json& sample : objects()) {
    SCOPED_TRACE(sample.at("kind").get<std::string>() + " " + sample.at("name").get<std::string>());
    json want = sample.at("object");
    // Keras writes a single threshold as a number; kerascpp as a list of one.
    if (sample.at("name") == "precision_scalar_threshold") {
      json& thresholds = want["config"]["thresholds"];
      ASSERT_TRUE(thresholds.is_number());
      thresholds = json::array({thresholds});
    }
    EXPECT_EQ(difference(write_back(sample), want), "");
    ++compared;
  }
  EXPECT_GE(compared, 50);
}

// The fixture has every class that kerascpp reads (and nothing else).
TEST(CompileConfigObjects, FixturesCoverEveryClass) {
  std::map<std::string, std::set<std::string>> seen;
  for (const json& sample : objects()) {
    seen[sample.at("kind")].insert(sample.at("object").at("class_name").get<std::string>());
  }
  const auto as_set = [](const std::vector<std::string>& v) {
    return std::set<std::string>(v.begin(), v.end());
  };
  EXPECT_EQ(seen["loss"], as_set(keras::losses::config_class_names()));
  EXPECT_EQ(seen["metric"], as_set(keras::metrics::config_class_names()));
  EXPECT_EQ(seen["schedule"], as_set(schedules::config_class_names()));
  EXPECT_EQ(keras::losses::config_class_names().size(), 15u);
  EXPECT_EQ(keras::metrics::config_class_names().size(), 28u);
  EXPECT_EQ(schedules::config_class_names().size(), 6u);
}

// What the object read from Keras' JSON computes is what the object Keras
// rebuilds from it computes (so every option written is also honoured).
TEST(CompileConfigObjects, ObjectsReadFromKerasComputeAsKeras) {
  for (const json& sample : objects()) {
    const std::string kind = sample.at("kind");
    SCOPED_TRACE(kind + " " + sample.at("name").get<std::string>());
    if (kind == "schedule") {
      const auto schedule = keras::saving::schedule_from_json(sample.at("object"), "$");
      const json& steps = sample.at("steps");
      const json& values = sample.at("values");
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const double want = values[i].get<double>();
        EXPECT_NEAR((*schedule)(steps[i].get<std::int64_t>()), want, 1e-6 * std::max(1.0, want))
            << "step " << steps[i];
      }
      continue;
    }
    const keras::Tensor y_true = tensor_of(sample.at("y_true"), sample.at("y_true_dtype"));
    const keras::Tensor y_pred = tensor_of(sample.at("y_pred"), "float32");
    if (kind == "loss") {
      const keras::losses::Loss loss = keras::saving::loss_from_json(sample.at("object"), "$");
      expect_values(loss(y_true, y_pred), sample.at("value"), 1e-5);
    } else {
      const keras::metrics::Metric metric =
          keras::saving::metric_from_json(sample.at("object"), "$");
      metric.update_state(y_true, y_pred);
      expect_values(metric.result(), sample.at("value"), 1e-5);
    }
  }
}

TEST(CompileConfigObjects, ReadObjectsKeepTheirOptions) {
  auto find = [](const std::string& kind, const std::string& name) {
    for (const json& s : objects()) {
      if (s.at("kind") == kind && s.at("name") == name) return s.at("object");
    }
    ADD_FAILURE() << kind << " " << name << " not in the fixture";
    return json();
  };
  const auto scce =
      keras::saving::loss_from_json(find("loss", "sparse_categorical_crossentropy_ignore"), "$");
  EXPECT_EQ(scce.class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(scce.name(), "scce");
  EXPECT_TRUE(scce.impl().identifier().empty());
  const auto bce = keras::saving::loss_from_json(find("loss", "binary_crossentropy"), "$");
  EXPECT_EQ(bce.reduction(), "sum");
  const auto acc =
      keras::saving::metric_from_json(find("metric", "sparse_categorical_accuracy"), "$");
  EXPECT_EQ(acc.name(), "acc");
  EXPECT_EQ(acc.class_name(), "SparseCategoricalAccuracy");
  const auto exp = keras::saving::schedule_from_json(find("schedule", "exponential_decay"), "$");
  EXPECT_EQ(exp->class_name(), "ExponentialDecay");
  // staircase: the rate stays until step 10, then halves.
  EXPECT_DOUBLE_EQ((*exp)(9), 0.1);
  EXPECT_DOUBLE_EQ((*exp)(10), 0.05);
}

// Names stay names, both ways; Keras' serialized plain functions read as
// their names.
TEST(CompileConfigObjects, NamesAndKerasFunctionsStayNames) {
  for (const char* name : {"mse", "categorical_crossentropy", "crossentropy", "Huber"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(keras::saving::loss_json(keras::saving::loss_from_json(name, "$")), json(name));
    EXPECT_EQ(keras::saving::loss_json(keras::losses::Loss(name)), json(name));
  }
  for (const char* name : {"accuracy", "acc", "mae", "AUC", "top_k_categorical_accuracy"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(keras::saving::metric_json(keras::saving::metric_from_json(name, "$")), json(name));
  }
  const json function = json::parse(
      R"({"module": "builtins", "class_name": "function", "config": "mean_squared_error",
          "registered_name": "function"})");
  const auto loss = keras::saving::loss_from_json(function, "$");
  EXPECT_EQ(loss.class_name(), "MeanSquaredError");
  EXPECT_EQ(loss.name(), "mean_squared_error");
  EXPECT_EQ(keras::saving::loss_json(loss), json("mean_squared_error"));
  json metric_function = function;
  metric_function["config"] = "mean_absolute_error";
  const auto metric = keras::saving::metric_from_json(metric_function, "$");
  EXPECT_EQ(metric.class_name(), "MeanAbsoluteError");
  EXPECT_EQ(metric.name(), "mean_absolute_error");
}

// A C++ object made with the defaults is an object too (written with its
// config, as Keras writes compile(loss=keras.losses.MeanSquaredError())).
TEST(CompileConfigObjects, DefaultObjectsAreWrittenAsObjects) {
  const json loss = keras::saving::loss_json(keras::losses::MeanSquaredError());
  EXPECT_EQ(loss.dump(),
            R"({"module":"keras.losses","class_name":"MeanSquaredError","config":{"name":)"
            R"("mean_squared_error","reduction":"sum_over_batch_size"},"registered_name":null})");
  const json metric = keras::saving::metric_json(keras::metrics::Accuracy());
  EXPECT_EQ(metric.at("config").dump(), R"({"name":"accuracy","dtype":"float32"})");
}

// Options Keras drops when it saves (Huber's delta, CosineSimilarity's axis,
// a loss' dtype) are written when they are not the default, so that
// kerascpp's own files keep them; Keras' from_config reads them too.
TEST(CompileConfigObjects, OptionsKerasDropsAreKeptWhenSet) {
  using keras::saving::loss_from_json;
  using keras::saving::loss_json;
  const json huber = loss_json(keras::losses::Huber({.delta = 0.5}));
  EXPECT_EQ(huber.at("config").at("delta"), 0.5);
  EXPECT_EQ(loss_json(loss_from_json(huber, "$")), huber);
  const json cosine = loss_json(keras::losses::CosineSimilarity({.axis = 1, .dtype = "float64"}));
  EXPECT_EQ(cosine.at("config").at("axis"), 1);
  EXPECT_EQ(cosine.at("config").at("dtype"), "float64");
  EXPECT_EQ(loss_json(loss_from_json(cosine, "$")), cosine);
  const json scce =
      loss_json(keras::losses::SparseCategoricalCrossentropy({.ignore_class = 4, .axis = 1}));
  EXPECT_EQ(scce.at("config").at("ignore_class"), 4);
  EXPECT_EQ(scce.at("config").at("axis"), 1);
  EXPECT_EQ(loss_json(loss_from_json(scce, "$")), scce);
  const json metric = keras::saving::metric_json(keras::metrics::CosineSimilarity({.axis = 0}));
  EXPECT_EQ(metric.at("config").at("axis"), 0);
}

// ---- errors ----

std::string loss_error(const std::string& text) {
  return error_of([&] { keras::saving::loss_from_json(json::parse(text), "compile_config.loss"); });
}
std::string metric_error(const std::string& text) {
  return error_of(
      [&] { keras::saving::metric_from_json(json::parse(text), "compile_config.metrics[0]"); });
}
std::string schedule_error(const std::string& text) {
  return error_of([&] { keras::saving::schedule_from_json(json::parse(text), "lr"); });
}

TEST(CompileConfigObjectErrors, UnknownClassesListWhatKerascppReads) {
  const json unsupported = read_json(kDir + "/unsupported.json");
  ASSERT_GE(unsupported.size(), 6u);
  for (const json& entry : unsupported) {
    const std::string kind = entry.at("kind");
    const std::string class_name = entry.at("object").at("class_name");
    SCOPED_TRACE(class_name);
    const std::string message = kind == "loss"     ? loss_error(entry.at("object").dump())
                                : kind == "metric" ? metric_error(entry.at("object").dump())
                                                   : schedule_error(entry.at("object").dump());
    expect_contains(message, "\"" + class_name + "\"");
    expect_contains(message, "kerascpp reads");
  }
  expect_contains(loss_error(R"({"class_name": "Nope", "config": {}})"), "compile_config.loss");
  expect_contains(loss_error(R"({"class_name": "Nope", "config": {}})"),
                  "SparseCategoricalCrossentropy");
  expect_contains(metric_error(R"({"class_name": "Nope", "config": {}})"), "AUC");
  expect_contains(schedule_error(R"({"class_name": "Nope", "config": {}})"), "CosineDecay");
}

TEST(CompileConfigObjectErrors, MissingOrIllTypedFieldsNameThePath) {
  std::string m = loss_error(R"({"config": {}})");
  expect_contains(m, "compile_config.loss.class_name is missing");
  m = loss_error(R"({"class_name": "MeanSquaredError"})");
  expect_contains(m, "compile_config.loss.config is missing");
  m = loss_error(R"({"class_name": "MeanSquaredError", "config": [1]})");
  expect_contains(m, "compile_config.loss.config");
  m = loss_error(R"({"class_name": 3, "config": {}})");
  expect_contains(m, "compile_config.loss.class_name must be a string");
  m = loss_error(
      R"({"class_name": "SparseCategoricalCrossentropy", "config": {"from_logits": 3}})");
  expect_contains(m, "compile_config.loss");
  expect_contains(m, "\"from_logits\" must be true or false");
  m = loss_error(R"({"class_name": "Huber", "config": {"delta": "big"}})");
  expect_contains(m, "\"delta\" must be a number");
  m = loss_error(R"({"class_name": "MeanSquaredError", "config": {"reduction": "avg"}})");
  expect_contains(m, "reduction");
  m = loss_error(R"({"class_name": "MeanSquaredError", "config": {"bogus": 1}})");
  expect_contains(m, "\"bogus\"");
  expect_contains(m, "name, reduction, dtype");
  m = loss_error(R"({"class_name": "CategoricalCrossentropy", "config": {"axis": 1000}})");
  expect_contains(m, "\"axis\" must be an integer in");
  m = loss_error(R"({"class_name": "SparseCategoricalCrossentropy",
                      "config": {"ignore_class": 1e40}})");
  expect_contains(m, "\"ignore_class\" must be an integer");
  m = loss_error("[1]");
  expect_contains(m, "compile_config.loss is a list");

  m = metric_error(R"({"class_name": "TopKCategoricalAccuracy", "config": {"k": 0}})");
  expect_contains(m, "compile_config.metrics[0]");
  expect_contains(m, "\"k\" must be an integer in [1, ");
  m = metric_error(R"({"class_name": "Precision", "config": {"top_k": 2.5}})");
  expect_contains(m, "\"top_k\" must be an integer");
  m = metric_error(R"({"class_name": "Precision", "config": {"thresholds": ["a"]}})");
  expect_contains(m, "\"thresholds\" must be a list of finite numbers");
  m = metric_error(R"({"class_name": "Recall", "config": {"thresholds": [1.5]}})");
  expect_contains(m, "[0, 1]");
  m = metric_error(R"({"class_name": "Accuracy", "config": {"dtype": "float64"}})");
  expect_contains(m, "float32 only");
  m = metric_error(R"({"class_name": "AUC", "config": {"multi_label": true}})");
  expect_contains(m, "multi_label");
  m = metric_error(R"({"class_name": "AUC", "config": {"num_labels": 3}})");
  expect_contains(m, "num_labels");
  m = metric_error(R"({"class_name": "AUC", "config": {"curve": "XY"}})");
  expect_contains(m, "curve");
  m = metric_error(R"({"class_name": "SparseTopKCategoricalAccuracy",
                       "config": {"from_sorted_ids": true}})");
  expect_contains(m, "from_sorted_ids");

  m = schedule_error(R"({"class_name": "ExponentialDecay", "config": {"decay_steps": 10,
                                                                      "decay_rate": 0.5}})");
  expect_contains(m, "lr: ExponentialDecay config field \"initial_learning_rate\" is missing");
  m = schedule_error(R"({"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.1,
                                                                 "decay_steps": 0}})");
  expect_contains(m, "\"decay_steps\" must be > 0");
  m = schedule_error(R"({"class_name": "PiecewiseConstantDecay",
                         "config": {"boundaries": [1, 2], "values": [0.1]}})");
  expect_contains(m, "one more element");
  m = schedule_error(R"({"class_name": "PiecewiseConstantDecay",
                         "config": {"boundaries": 3, "values": [0.1]}})");
  expect_contains(m, "\"boundaries\" must be a list of numbers");
  m = schedule_error(R"({"class_name": "InverseTimeDecay",
                         "config": {"initial_learning_rate": 0.1, "decay_steps": 2,
                                    "decay_rate": 0.5, "staircase": "yes"}})");
  expect_contains(m, "\"staircase\" must be true or false");
  m = schedule_error(R"({"class_name": "CosineDecay",
                         "config": {"initial_learning_rate": 0.1, "decay_steps": 2,
                                    "warmup_target": -1}})");
  expect_contains(m, "\"warmup_target\" must be >= 0");
}

TEST(CompileConfigObjectErrors, ModuleAndRegisteredNameMustBeKeras) {
  std::string m =
      loss_error(R"({"module": "keras.metrics", "class_name": "MeanSquaredError", "config": {}})");
  expect_contains(m, "compile_config.loss.module is \"keras.metrics\"");
  m = loss_error(R"({"module": "keras.losses", "class_name": "MeanSquaredError", "config": {},
                     "registered_name": "my_package>MeanSquaredError"})");
  expect_contains(m, "compile_config.loss.registered_name");
  expect_contains(m, "custom");
  // Keras 2 files have no module.
  EXPECT_EQ(loss_error(R"({"class_name": "MeanSquaredError", "config": {}})"), "");
  EXPECT_EQ(metric_error(R"({"module": "keras.metrics", "class_name": "AUC", "config": {},
                             "registered_name": "AUC"})"),
            "");
}

// An optimizer config whose learning rate is a schedule, as Keras writes it.
TEST(CompileConfigObjectErrors, ScheduleInsideTheOptimizerNamesItsPath) {
  json config = json::parse(R"({"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
      "config": {"learning_rate": {"module": "keras.optimizers.schedules",
                                   "class_name": "CyclicalDecay", "config": {}}}},
      "loss": "mse"})");
  const std::string m = error_of(
      [&] { keras::saving::compile_options_from_config(config, "m.keras: compile_config"); });
  expect_contains(m, "m.keras: compile_config.optimizer.config.learning_rate");
  expect_contains(m, "Unknown learning-rate schedule class \"CyclicalDecay\"");
  config["optimizer"]["config"]["learning_rate"] = json::parse(
      R"({"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1,
          "decay_steps": 4, "decay_rate": 0.5}})");
  const keras::CompileOptions options =
      keras::saving::compile_options_from_config(config, "compile_config");
  const auto& lr = options.optimizer.impl().learning_rate();
  ASSERT_TRUE(lr.is_schedule());
  EXPECT_EQ(lr.schedule()->class_name(), "ExponentialDecay");
  EXPECT_DOUBLE_EQ((*lr.schedule())(4), 0.05);
}

keras::Sequential small_model() {
  keras::utils::set_random_seed(5);
  return keras::Sequential({keras::Input({3}), L::Dense(2)});
}

TEST(CompileConfigObjectErrors, ObjectsWithoutConfigCannotBeSaved) {
  TempDir tmp;
  keras::Sequential model = small_model();
  model.compile({.optimizer = "sgd",
                 .loss = keras::losses::LossFunctionWrapper(
                     [](const keras::Tensor& t, const keras::Tensor& p) {
                       return keras::losses::mean_squared_error(t, p);
                     })});
  std::string m = error_of([&] { model.save(tmp.file("a.keras")); });
  expect_contains(m, "LossFunctionWrapper");
  expect_contains(m, "compile_config");
  model.compile({.optimizer = "sgd",
                 .loss = "mse",
                 .metrics = {keras::metrics::MeanMetricWrapper(
                     [](const keras::Tensor& t, const keras::Tensor& p) {
                       return keras::losses::mean_absolute_error(t, p);
                     },
                     "my_mae")}});
  m = error_of([&] { model.save(tmp.file("b.keras")); });
  expect_contains(m, "MeanMetricWrapper");
  expect_contains(m, "my_mae");

  struct Halving : schedules::LearningRateSchedule {
    double operator()(std::int64_t step) const override { return 0.1 / (1 + step); }
    std::string class_name() const override { return "Halving"; }
  };
  model.compile({.optimizer = keras::optimizers::SGD({.learning_rate = Halving()}), .loss = "mse"});
  m = error_of([&] { model.save(tmp.file("c.keras")); });
  expect_contains(m, "Halving");
  expect_contains(m, "no Keras config");
  EXPECT_TRUE(tmp.files().empty());
}

// ---- dicts by output name, and weighted_metrics ----

keras::Model two_outputs() {
  keras::utils::set_random_seed(6);
  auto in = keras::Input({3});
  auto z = L::Dense(2, {.name = "z"})(in);
  auto a = L::Dense(2, {.name = "a"})(in);
  return keras::Model(in, {z, a});
}

json compiled_from(keras::Model& model, const std::string& text) {
  keras::saving::compile_from_config(model, json::parse(text), "compile_config");
  return keras::saving::compile_config_json(*keras::detail::as_model(model.ptr().get()));
}

TEST(CompileConfigDicts, LossLossWeightsAndMetricsByOutputName) {
  keras::Model model = two_outputs();
  json c = compiled_from(model, R"({"optimizer": "sgd", "loss": {"a": "mae", "z": "mse"},
      "loss_weights": {"a": 0.5, "z": 2.0}, "metrics": {"a": ["mse"]}})");
  EXPECT_EQ(c.at("loss"), json::parse(R"(["mse", "mae"])"));
  EXPECT_EQ(c.at("loss_weights"), json::parse("[2.0, 0.5]"));
  EXPECT_EQ(c.at("metrics"), json::parse(R"([[], ["mse"]])"));
  // A list of losses with a dict of weights: Keras flattens the dict in the
  // order of its sorted keys.
  c = compiled_from(model, R"({"optimizer": "sgd", "loss": ["mse", "mae"],
      "loss_weights": {"z": 2.0, "a": 0.5}, "metrics": {"z": "mae", "a": null}})");
  EXPECT_EQ(c.at("loss_weights"), json::parse("[0.5, 2.0]"));
  EXPECT_EQ(c.at("metrics"), json::parse(R"([["mae"], []])"));
  // weighted_metrics: Keras writes null or an empty list when there are none.
  EXPECT_NO_THROW(
      compiled_from(model, R"({"optimizer": "sgd", "loss": "mse", "weighted_metrics": []})"));
}

TEST(CompileConfigDicts, KeysMustBeOutputNames) {
  keras::Model model = two_outputs();
  std::string m = error_of(
      [&] { compiled_from(model, R"({"optimizer": "sgd", "loss": {"z": "mse", "b": "mae"}})"); });
  expect_contains(m, "compile_config.loss has the key \"b\"");
  expect_contains(m, "\"z\", \"a\"");
  m = error_of([&] { compiled_from(model, R"({"optimizer": "sgd", "loss": {"z": "mse"}})"); });
  expect_contains(m, "no entry for the output \"a\"");
  m = error_of([&] {
    compiled_from(model, R"({"optimizer": "sgd", "loss": {"z": "mse", "a": "mae"},
                             "loss_weights": {"z": 1.0}})");
  });
  expect_contains(m, "compile_config.loss_weights has no entry for the output \"a\"");
  m = error_of([&] {
    compiled_from(model, R"({"optimizer": "sgd", "loss": "mse", "metrics": {"q": ["mae"]}})");
  });
  expect_contains(m, "compile_config.metrics has the key \"q\"");
  m = error_of([&] {
    compiled_from(model, R"({"optimizer": "sgd", "loss": "mse", "weighted_metrics": ["mae"]})");
  });
  expect_contains(m, "compile_config.weighted_metrics");
}

// ---- whole models ----

TEST(CompiledObjects, CppRoundTripKeepsObjectsAndTrainingState) {
  TempDir tmp;
  auto make = [] {
    keras::utils::set_random_seed(12);
    return keras::Sequential({keras::Input({5}), L::Dense(6, {.activation = "tanh"}), L::Dense(4)});
  };
  auto compile = [](keras::Model& m) {
    m.compile(
        {.optimizer = keras::optimizers::Adam({.learning_rate = schedules::PiecewiseConstantDecay(
                                                   {2, 5}, {0.05, 0.02, 0.01}, "steps")}),
         .loss = keras::losses::SparseCategoricalCrossentropy({.from_logits = true}),
         .metrics = {keras::metrics::SparseCategoricalAccuracy({.name = "acc"}),
                     keras::metrics::SparseTopKCategoricalAccuracy({.k = 2}), "accuracy"}});
  };
  keras::Sequential straight = make();
  keras::Sequential halves = make();
  compile(straight);
  compile(halves);
  const keras::Tensor x = keras::keras_file_testing::ramp({12, 5});
  const keras::Tensor y({12}, std::vector<std::int32_t>{0, 1, 2, 3, 0, 1, 2, 3, 3, 2, 1, 0});
  const keras::FitOptions fit{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};
  keras::FitOptions two = fit;
  two.epochs = 2;
  const keras::History want_history = straight.fit(x, y, two);
  halves.fit(x, y, fit);
  halves.save(tmp.file("m.keras"));
  const json saved = json::parse(read_member(tmp.file("m.keras"), "config.json"));
  const json& compile_config = saved.at("compile_config");
  EXPECT_EQ(compile_config.at("loss").at("class_name"), "SparseCategoricalCrossentropy");
  EXPECT_EQ(compile_config.at("loss").at("config").at("from_logits"), true);
  EXPECT_EQ(compile_config.at("metrics")[0].at("config").at("name"), "acc");
  EXPECT_EQ(compile_config.at("metrics")[2], "accuracy");
  EXPECT_EQ(compile_config.at("optimizer").at("config").at("learning_rate").dump(),
            R"({"module":"keras.optimizers.schedules","class_name":"PiecewiseConstantDecay",)"
            R"("config":{"boundaries":[2,5],"values":[0.05,0.02,0.01],"name":"steps"},)"
            R"("registered_name":null})");

  keras::Model loaded = keras::load_model(tmp.file("m.keras"));
  EXPECT_EQ(loaded.optimizer().iterations(), 3);
  const keras::History history = loaded.fit(x, y, fit);
  const auto want = straight.get_weights();
  const auto got = loaded.get_weights();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) expect_close(got[i], want[i], 1e-6, "weight");
  for (const char* key : {"loss", "acc", "sparse_top_k_categorical_accuracy", "accuracy"}) {
    EXPECT_NEAR(history[key].back(), want_history[key].back(), 1e-6) << key;
  }
  // And it saves again to the same compile_config.
  loaded.save(tmp.file("again.keras"));
  json again = json::parse(read_member(tmp.file("again.keras"), "config.json"));
  EXPECT_EQ(difference(again.at("compile_config"), compile_config), "");
}

std::vector<fs::path> model_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kDir + "/models")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Keras saved each model after one epoch; one more epoch here from the
// loaded state (optimizer iterations, schedule, slots) reaches Keras'
// weights, and the epoch's loss and metrics are Keras'.
TEST(KerasCompiledModels, LoadCompiledAndContinueTrainingAsKeras) {
  int cases = 0;
  for (const fs::path& dir : model_cases()) {
    SCOPED_TRACE(dir.filename().string());
    const json info = read_json((dir / "case.json").string());
    keras::Model model = keras::load_model((dir / "model.keras").string());
    EXPECT_EQ(model.optimizer().iterations(), info.at("iterations").get<std::int64_t>());
    EXPECT_TRUE(model.optimizer().impl().learning_rate().is_schedule());
    const auto x = numbered_npy(dir, "x_train");
    const auto y = numbered_npy(dir, "y_train");
    const keras::History history =
        model.fit(x, y, {.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false});
    EXPECT_EQ(model.optimizer().iterations(), info.at("iterations_after").get<std::int64_t>());
    const auto want = numbered_npy(dir, "weights_after_");
    const auto got = model.get_weights();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      expect_close(got[i], want[i], 1e-5, "weight " + std::to_string(i));
    }
    for (const auto& [key, value] : info.at("history").items()) {
      SCOPED_TRACE(key);
      ASSERT_TRUE(history.history.count(key)) << "no \"" << key << "\" in kerascpp's history";
      // Precision with two thresholds logs two values; kerascpp's History
      // keeps the first of them, as Keras' progress bar shows it.
      const double want_value = flat(value)[0];
      EXPECT_NEAR(history[key].back(), want_value, 1e-5 * std::max(1.0, std::fabs(want_value)));
    }
    ++cases;
  }
  EXPECT_EQ(cases, 3);
}

// What kerascpp writes back for these models is Keras' compile_config; the
// dicts by output name become lists in output order.
TEST(KerasCompiledModels, SavedCompileConfigIsKeras) {
  TempDir tmp;
  for (const fs::path& dir : model_cases()) {
    SCOPED_TRACE(dir.filename().string());
    const std::string path = (dir / "model.keras").string();
    keras::Model model = keras::load_model(path);
    const std::string out = tmp.file(dir.filename().string() + ".keras");
    model.save(out);
    const json ours = json::parse(read_member(out, "config.json")).at("compile_config");
    json keras_config = json::parse(read_member(path, "config.json")).at("compile_config");
    if (dir.filename() == "two_outputs_dicts") {
      json& loss = keras_config["loss"];
      loss = json::array({loss.at("cls"), loss.at("reg")});
      keras_config["loss_weights"] = json::array({1.0, 0.25});
      json& metrics = keras_config["metrics"];
      metrics = json::array({metrics.at("cls"), metrics.at("reg")});
    }
    EXPECT_EQ(difference(ours, keras_config), "");
  }
}

}  // namespace
