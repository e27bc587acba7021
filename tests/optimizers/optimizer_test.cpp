// Every optimizer and schedule against real Keras: fixed variables and
// gradients (tests/fixtures/optimizers, from reference/make_optimizer_fixtures.py),
// the variables after step 1 and step 5, the learning rate at each step, and the
// optimizer's variable names in Keras' order.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <nlohmann/json.hpp>

#include "keras/io/npy.hpp"
#include "keras/optimizers.hpp"

namespace {

namespace O = keras::optimizers;
namespace S = keras::optimizers::schedules;

const std::filesystem::path kDir = std::filesystem::path(KERASCPP_FIXTURES_DIR) / "optimizers";

const std::map<std::string, std::function<O::Optimizer()>>& cases() {
  static const std::map<std::string, std::function<O::Optimizer()>> c = {
      {"sgd", [] { return O::SGD(); }},
      {"sgd_momentum", [] { return O::SGD({.learning_rate = 0.05, .momentum = 0.9}); }},
      {"sgd_nesterov",
       [] { return O::SGD({.learning_rate = 0.05, .momentum = 0.9, .nesterov = true}); }},
      {"rmsprop", [] { return O::RMSprop(); }},
      {"rmsprop_momentum_centered",
       [] { return O::RMSprop({.momentum = 0.5, .centered = true}); }},
      {"adam", [] { return O::Adam(); }},
      {"adam_amsgrad", [] { return O::Adam({.learning_rate = 0.01, .amsgrad = true}); }},
      {"adamw", [] { return O::AdamW(); }},
      {"adam_wide", [] { return O::Adam(); }},
      {"adam_amsgrad_wide", [] { return O::Adam({.learning_rate = 0.01, .amsgrad = true}); }},
      {"adamw_wide", [] { return O::AdamW(); }},
      {"adagrad", [] { return O::Adagrad({.learning_rate = 0.1}); }},
      {"adadelta", [] { return O::Adadelta({.learning_rate = 1.0}); }},
      {"adamax", [] { return O::Adamax(); }},
      {"nadam", [] { return O::Nadam(); }},
      {"lion", [] { return O::Lion(); }},
      {"sgd_clipnorm", [] { return O::SGD({.learning_rate = 0.1, .clipnorm = 0.5}); }},
      {"sgd_clipvalue", [] { return O::SGD({.learning_rate = 0.1, .clipvalue = 0.3}); }},
      {"sgd_global_clipnorm",
       [] { return O::SGD({.learning_rate = 0.1, .global_clipnorm = 0.7}); }},
      {"adam_weight_decay", [] { return O::Adam({.weight_decay = 0.1}); }},
      {"sgd_exponential_decay",
       [] { return O::SGD({.learning_rate = S::ExponentialDecay(0.1, 2, 0.5)}); }},
      {"sgd_piecewise_constant_decay",
       [] {
         return O::SGD({.learning_rate = S::PiecewiseConstantDecay({1, 3}, {0.1, 0.05, 0.01})});
       }},
      {"sgd_cosine_decay",
       [] { return O::SGD({.learning_rate = S::CosineDecay(0.1, 4, 0.1)}); }},
      {"sgd_cosine_decay_warmup",
       [] { return O::SGD({.learning_rate = S::CosineDecay(0.0, 3, 0.0, 0.1, 2)}); }},
      {"sgd_inverse_time_decay",
       [] { return O::SGD({.learning_rate = S::InverseTimeDecay(0.1, 1, 0.5, true)}); }},
  };
  return c;
}

keras::Tensor load(const std::filesystem::path& dir, const std::string& name) {
  return keras::io::load_npy((dir / (name + ".npy")).string());
}

void expect_close(const keras::Tensor& actual, const keras::Tensor& expected,
                  const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  const auto a = actual.to_vector<float>();
  const auto e = expected.to_vector<float>();
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], e[i], 1e-5 * std::fabs(e[i]) + 1e-6) << what << " element " << i;
  }
}

class KerasOptimizer : public testing::TestWithParam<std::string> {};

TEST_P(KerasOptimizer, MatchesKerasStepByStep) {
  const std::filesystem::path dir = kDir / GetParam();
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir;
  std::ifstream in(dir / "case.json");
  const nlohmann::json info = nlohmann::json::parse(in);
  const int n = info["num_variables"];
  std::vector<keras::Variable> variables;
  for (int i = 0; i < n; ++i) {
    variables.emplace_back("w" + std::to_string(i), load(dir, "initial_" + std::to_string(i)));
  }
  O::Optimizer optimizer = cases().at(GetParam())();
  EXPECT_EQ(optimizer.impl().class_name(), info["class_name"]);
  const int steps = info["steps"];
  for (int step = 0; step < steps; ++step) {
    EXPECT_NEAR(optimizer.learning_rate(), info["learning_rates"][step].get<double>(), 1e-7)
        << "learning rate at step " << step;
    std::vector<keras::Tensor> grads;
    for (int i = 0; i < n; ++i) {
      grads.push_back(load(dir, "grad_" + std::to_string(step) + "_" + std::to_string(i)));
    }
    optimizer.apply(grads, variables);
    if (step == 0 || step == steps - 1) {
      for (int i = 0; i < n; ++i) {
        const std::string name = "after_" + std::to_string(step + 1) + "_" + std::to_string(i);
        expect_close(variables[i].value(), load(dir, name), GetParam() + " " + name);
      }
    }
  }
  EXPECT_EQ(optimizer.iterations(), steps);
  // Keras' variable order and names: iteration, learning_rate, then the slots.
  std::vector<std::string> names;
  for (const auto& v : optimizer.variables()) names.push_back(v.path());
  std::vector<std::string> expected;
  for (const auto& p : info["optimizer_variables"]) {
    std::string path = p;
    expected.push_back(optimizer.name() + path.substr(path.find('/')));
  }
  EXPECT_EQ(names, expected);
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : cases()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasOptimizer, testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

// apply() updates all variables in one parallel region, in chunks of 8192
// values. A 50000-value variable (chunks start inside it, and the step is
// big enough to run on the thread pool) must end up exactly as the same
// values held in pieces of at most one chunk each, which start at 0.
TEST(Optimizer, ChunkedParallelStepMatchesOneVariablePerChunk) {
  constexpr std::int64_t kSize = 50000, kPiece = 8192;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto random_values = [&](std::int64_t n) {
    std::vector<float> v(static_cast<std::size_t>(n));
    for (float& x : v) x = normal(rng);
    return v;
  };
  auto pieces_of = [&](const std::vector<float>& values) {
    std::vector<keras::Tensor> out;
    for (std::int64_t begin = 0; begin < kSize; begin += kPiece) {
      const std::int64_t end = std::min(kSize, begin + kPiece);
      out.emplace_back(keras::Shape{end - begin},
                       std::vector<float>(values.begin() + begin, values.begin() + end));
    }
    return out;
  };
  for (const auto& [name, make] : cases()) {
    if (name == "sgd_clipnorm") continue;  // clips each variable by its own norm
    const std::vector<float> initial = random_values(kSize);
    keras::Variable whole("w", keras::Tensor(keras::Shape{kSize}, initial));
    std::vector<keras::Variable> pieces;
    for (const auto& t : pieces_of(initial)) pieces.emplace_back("p", t);
    O::Optimizer a = make(), b = make();
    for (int step = 0; step < 3; ++step) {
      const std::vector<float> g = random_values(kSize);
      a.apply({keras::Tensor(keras::Shape{kSize}, g)}, {whole});
      b.apply(pieces_of(g), pieces);
    }
    const auto w = whole.value().to_vector<float>();
    std::size_t at = 0;
    for (const auto& p : pieces) {
      for (float v : p.value().to_vector<float>()) {
        ASSERT_FLOAT_EQ(w[at], v) << name << " value " << at;
        ++at;
      }
    }
  }
}

TEST(Optimizer, EveryFixtureHasACase) {
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    EXPECT_TRUE(cases().count(entry.path().filename().string()))
        << "fixture without a test case: " << entry.path();
  }
}

TEST(Optimizer, ByNameAsCompileTakesIt) {
  EXPECT_EQ(O::Optimizer("Adam").impl().class_name(), "Adam");
  EXPECT_EQ(O::get("rmsprop").impl().class_name(), "RMSprop");
  EXPECT_THROW(O::get("adamm"), keras::Error);
}

TEST(Optimizer, RejectsTwoClipOptionsAndBadGradients) {
  EXPECT_THROW(O::SGD({.clipnorm = 1.0, .clipvalue = 1.0}), keras::Error);
  EXPECT_THROW(O::AdamW({.weight_decay = std::nullopt}), keras::Error);
  O::Optimizer sgd = O::SGD();
  keras::Variable w("w", keras::Tensor::zeros({2, 2}));
  try {
    sgd.apply({keras::Tensor::zeros({3})}, {w});
    FAIL();
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("(3,)"), std::string::npos) << e.what();
  }
}

TEST(Optimizer, SetLearningRateAsReduceLROnPlateauDoes) {
  O::Optimizer sgd = O::SGD({.learning_rate = 0.5});
  sgd.set_learning_rate(0.25);
  keras::Variable w("w", keras::Tensor({1}, {1.0f}));
  sgd.apply({keras::Tensor({1}, {1.0f})}, {w});
  EXPECT_FLOAT_EQ(w.value().item<float>(), 0.75f);
  O::Optimizer scheduled = O::SGD({.learning_rate = S::ExponentialDecay(0.1, 2, 0.5)});
  EXPECT_THROW(scheduled.set_learning_rate(0.1), keras::Error);
}

}  // namespace
