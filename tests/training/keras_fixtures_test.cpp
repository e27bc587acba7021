// Training against real Keras (tests/fixtures/training, from
// reference/make_training_fixtures.py): weights after 1 and 5 train_on_batch
// steps for every optimizer and loss, and whole fits with validation, sample
// and class weights and several outputs: History, evaluate() and the weights.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "keras/keras.hpp"

namespace {

namespace fs = std::filesystem;
namespace L = keras::layers;
namespace O = keras::optimizers;
using json = nlohmann::json;

const fs::path kDir = fs::path(KERASCPP_FIXTURES_DIR) / "training";

keras::Tensor npy(const fs::path& dir, const std::string& name) {
  return keras::io::load_npy((dir / name).string());
}

std::string two_digits(std::size_t i) { return (i < 10 ? "0" : "") + std::to_string(i); }

// The model described in case.json: Dense layers only, Sequential or functional.
keras::Model build_model(const json& m) {
  if (m["kind"] == "sequential") {
    std::vector<std::int64_t> shape = m["input_shape"];
    keras::Sequential model;
    model.add(keras::Input(keras::Shape(shape)));
    for (const auto& l : m["layers"]) {
      model.add(L::Dense(l["units"].get<std::int64_t>(), {.activation = l["activation"]}));
    }
    return model;
  }
  std::map<std::string, keras::KerasTensor> tensors;
  std::vector<keras::KerasTensor> inputs, outputs;
  for (const auto& in : m["inputs"]) {
    std::vector<std::int64_t> shape = in["shape"];
    inputs.push_back(keras::Input(keras::Shape(shape), {.name = in["name"]}));
    tensors[in["name"]] = inputs.back();
  }
  for (const auto& l : m["layers"]) {
    L::Dense dense(l["units"].get<std::int64_t>(),
                   {.activation = l["activation"],
                    .name = l["name_given"].get<bool>() ? l["name"].get<std::string>() : ""});
    tensors[l["name"]] = dense(tensors.at(l["inbound"][0]));
  }
  for (const auto& o : m["outputs"]) outputs.push_back(tensors.at(o));
  return keras::Model(inputs, outputs);
}

O::Optimizer build_optimizer(const json& o) {
  const std::string c = o["class_name"];
  const json& k = o["config"];
  const double lr = k["learning_rate"];
  auto opt = [&](const char* key, double fallback) {
    return k.contains(key) && !k[key].is_null() ? k[key].get<double>() : fallback;
  };
  if (c == "SGD") {
    return O::SGD({.learning_rate = lr, .momentum = opt("momentum", 0), .nesterov = k["nesterov"]});
  }
  if (c == "RMSprop") {
    return O::RMSprop({.learning_rate = lr, .rho = opt("rho", 0.9), .momentum = opt("momentum", 0),
                       .epsilon = opt("epsilon", 1e-7), .centered = k["centered"]});
  }
  if (c == "Adam") return O::Adam({.learning_rate = lr, .amsgrad = k["amsgrad"]});
  if (c == "AdamW") return O::AdamW({.learning_rate = lr, .weight_decay = opt("weight_decay", 0.004)});
  if (c == "Adagrad") return O::Adagrad({.learning_rate = lr});
  if (c == "Adadelta") return O::Adadelta({.learning_rate = lr, .rho = opt("rho", 0.95)});
  if (c == "Adamax") return O::Adamax({.learning_rate = lr});
  if (c == "Nadam") return O::Nadam({.learning_rate = lr});
  if (c == "Lion") return O::Lion({.learning_rate = lr});
  throw std::runtime_error("no optimizer " + c);
}

keras::losses::Loss build_loss(const json& l) {
  namespace Ls = keras::losses;
  if (l["kwargs"].empty() && !l["identifier"].is_null()) return Ls::Loss(l["identifier"].get<std::string>());
  const std::string c = l["class_name"];
  const json& p = l["params"];
  if (c == "CategoricalCrossentropy") {
    return Ls::CategoricalCrossentropy(
        {.from_logits = p["from_logits"], .label_smoothing = p["label_smoothing"]});
  }
  if (c == "BinaryCrossentropy") {
    return Ls::BinaryCrossentropy(
        {.from_logits = p["from_logits"], .label_smoothing = p["label_smoothing"]});
  }
  if (c == "Huber") return Ls::Huber({.delta = p["delta"]});
  return Ls::Loss(c);
}

keras::LossList build_losses(const json& l, const std::vector<std::string>& outputs) {
  if (l.is_array()) {
    std::vector<keras::losses::Loss> list;
    for (const auto& x : l) list.push_back(build_loss(x));
    return list;
  }
  if (l.contains("class_name")) return build_loss(l);
  std::vector<keras::losses::Loss> list;  // a dict keyed by output name
  for (const auto& name : outputs) list.push_back(build_loss(l.at(name)));
  return list;
}

keras::MetricList build_metrics(const json& m, const std::vector<std::string>& outputs) {
  if (m.is_null()) return {};
  auto list = [](const json& names) {
    std::vector<keras::metrics::Metric> out;
    for (const auto& n : names) out.emplace_back(n.get<std::string>());
    return out;
  };
  if (m.is_object()) {
    std::vector<std::vector<keras::metrics::Metric>> per;
    for (const auto& name : outputs) per.push_back(list(m.at(name)));
    return keras::MetricList::per_output(per);
  }
  if (!m.empty() && m[0].is_array()) {
    std::vector<std::vector<keras::metrics::Metric>> per;
    for (const auto& x : m) per.push_back(list(x));
    return keras::MetricList::per_output(per);
  }
  return list(m);
}

std::vector<double> loss_weights(const json& w, const std::vector<std::string>& outputs) {
  if (w.is_null()) return {};
  if (w.is_array()) return w.get<std::vector<double>>();
  std::vector<double> out;
  for (const auto& name : outputs) out.push_back(w.at(name));
  return out;
}

struct Case {
  fs::path dir;
  json info;
  keras::Model model;
};

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

Case load_case(const std::string& name) {
  keras::backend::clear_session();
  const fs::path dir = kDir / name;
  const json info = read_json(dir / "case.json");
  Case c{dir, info, build_model(info["model"])};
  std::vector<keras::Tensor> weights;
  for (std::size_t i = 0; i < c.info["weights"].size(); ++i) {
    weights.push_back(npy(c.dir, "weights_" + two_digits(i) + ".npy"));
  }
  c.model.set_weights(weights);
  const std::vector<std::string> outputs = c.info["output_names"];
  c.model.compile({.optimizer = build_optimizer(c.info["optimizer"]),
                   .loss = build_losses(c.info["loss"], outputs),
                   .loss_weights = loss_weights(c.info["loss_weights"], outputs),
                   .metrics = build_metrics(c.info["metrics"], outputs)});
  return c;
}

void expect_weights(const Case& c, const std::string& prefix, double rtol) {
  const std::vector<keras::Tensor> actual = c.model.get_weights();
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const keras::Tensor expected = npy(c.dir, prefix + two_digits(i) + ".npy");
    ASSERT_EQ(actual[i].shape(), expected.shape());
    const auto a = actual[i].to_vector<double>();
    const auto e = expected.to_vector<double>();
    for (std::size_t j = 0; j < a.size(); ++j) {
      ASSERT_NEAR(a[j], e[j], rtol * std::fabs(e[j]) + 1e-6)
          << c.dir.filename() << " " << prefix << i << " element " << j;
    }
  }
}

void expect_values(const std::vector<double>& actual, json expected, double rtol,
                   const std::string& what) {
  if (expected.is_number()) expected = json::array({expected});  // Keras returns a bare loss
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double e = expected[i];
    EXPECT_NEAR(actual[i], e, rtol * std::fabs(e) + 1e-6) << what << " value " << i;
  }
}

std::vector<std::string> cases_of_kind(const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (!fs::exists(entry.path() / "case.json")) continue;
    std::ifstream in(entry.path() / "case.json");
    if (json::parse(in)["kind"] == kind) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class TrainSteps : public testing::TestWithParam<std::string> {};

TEST_P(TrainSteps, MatchKerasAfterOneAndFiveSteps) {
  Case c = load_case(GetParam());
  std::vector<keras::Tensor> x{npy(c.dir, "x.npy")}, y{npy(c.dir, "y.npy")};
  const int steps = c.info["steps"];
  for (int step = 0; step < steps; ++step) {
    const std::vector<double> r = c.model.train_on_batch(x, y);
    expect_values(r, c.info["train_on_batch_returns"][step], 1e-5,
                  GetParam() + " train_on_batch " + std::to_string(step));
    if (step == 0) expect_weights(c, "weights_after_1_", 1e-5);
  }
  expect_weights(c, "weights_after_5_", 1e-4);
  EXPECT_EQ(c.model.optimizer().iterations(), c.info["optimizer_iterations_after"].get<int>());
}

INSTANTIATE_TEST_SUITE_P(Keras, TrainSteps, testing::ValuesIn(cases_of_kind("steps")),
                         [](const auto& info) { return info.param; });

class Fit : public testing::TestWithParam<std::string> {};

TEST_P(Fit, MatchesKerasHistoryEvaluateAndWeights) {
  Case c = load_case(GetParam());
  const json& files = c.info["files"];
  auto arrays = [&](const char* key) {
    std::vector<keras::Tensor> out;
    if (files.contains(key)) {
      for (const auto& f : files[key]) out.push_back(npy(c.dir, f));
    }
    return out;
  };
  const std::vector<keras::Tensor> x = arrays("x"), y = arrays("y");
  const json& a = c.info["fit_args"];
  keras::FitOptions options{.batch_size = a["batch_size"], .epochs = a["epochs"],
                            .verbose = 0, .shuffle = a["shuffle"]};
  if (a.contains("validation_split")) options.validation_split = a["validation_split"];
  if (a.contains("validation_data")) {
    options.validation_data = {arrays("x_val")[0], arrays("y_val")[0]};
  }
  if (a.contains("sample_weight")) options.sample_weight = arrays("sample_weight")[0];
  if (a.contains("class_weight")) {
    for (const auto& [k, v] : a["class_weight"].items()) options.class_weight[std::stoll(k)] = v;
  }
  keras::History history = c.model.fit(x, y, options);
  std::vector<std::string> keys;
  for (const auto& [k, v] : history.history) keys.push_back(k);
  EXPECT_EQ(keys, c.info["history_keys"].get<std::vector<std::string>>());
  for (const auto& [k, v] : c.info["history"].items()) {
    expect_values(history[k], v, 1e-4, GetParam() + " history " + k);
  }
  expect_weights(c, "weights_after_fit_", 1e-4);
  EXPECT_EQ(c.model.optimizer().iterations(), c.info["optimizer_iterations_after_fit"].get<int>());
  if (c.info.contains("evaluate") && c.info["evaluate"].contains("all")) {
    const std::vector<double> r = c.model.evaluate(x, y, {.batch_size = 4, .verbose = 0});
    expect_values(r, c.info["evaluate"]["all"]["returns"], 1e-4, GetParam() + " evaluate");
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, Fit, testing::ValuesIn(cases_of_kind("fit")),
                         [](const auto& info) { return info.param; });

}  // namespace

namespace {

// Replaces the timing fields the fixture masks: "<T>s" for elapsed seconds and
// "<S>/step" for the time per step.
std::string mask_timing(const std::string& line) {
  static const std::regex elapsed(R"((\d+/\d+)( - | (?:━)+ )\d+s( - | ))");
  static const std::regex per_step(R"(\d+(s|ms|us)/step)");
  std::string out = std::regex_replace(line, elapsed, "$1$2<T>s$3");
  return std::regex_replace(out, per_step, "<S>/step");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Progress, PrintsWhatKerasPrints) {
  for (int verbose : {1, 2}) {
    Case c = load_case("progress");
    const std::vector<keras::Tensor> x{npy(c.dir, "x.npy")}, y{npy(c.dir, "y.npy")};
    testing::internal::CaptureStdout();
    c.model.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = verbose, .validation_split = 0.2,
                       .shuffle = false});
    std::vector<std::string> lines = lines_of(testing::internal::GetCapturedStdout());
    for (auto& line : lines) line = mask_timing(line);
    // Without a terminal kerascpp prints the final bar of each epoch as plain
    // text: what a terminal shows of Keras' redraws.
    const char* key = verbose == 2 ? "verbose2_masked" : "verbose1_visible_masked";
    EXPECT_EQ(lines, c.info[key].get<std::vector<std::string>>()) << "verbose=" << verbose;
  }
}

}  // namespace
