// Every case under tests/fixtures/rnn/ (made by real Keras 3.15.1, see
// reference/make_rnn_fixtures.py): rebuilt from model.json and given Keras'
// weights, the model must print Keras' summary, compute Keras' outputs, the
// gradients of L = sum_i sum(y_i * r_i) with respect to its weights and float
// inputs, and the weights after one RMSprop(learning_rate=0.01) step on those
// gradients. Every case runs: functional models whose masks are graph
// operations (NotEqual, Any) included.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/rmsprop.hpp"
#include "rnn/rnn_fixture_testing.hpp"

namespace fs = std::filesystem;
namespace rt = kerascpp_testing::rnn;

namespace {

// A case folder and its model, with Keras' weights set (unless summary-only).
class RnnCase : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = rt::fixtures_dir() / GetParam();
    info_ = rt::read_json(dir_ / "case.json");
    try {
      model_ = rt::build_model(dir_);
    } catch (const std::exception& e) {
      FAIL() << "model_from_json failed: " << e.what();
    }
    if (!info_.contains("weights")) return;
    try {
      model_->set_weights(rt::load_all(dir_, info_["weights"]));
    } catch (const std::exception& e) {
      FAIL() << "set_weights failed: " << e.what();
    }
  }

  std::vector<keras::Tensor> inputs() const { return rt::load_all(dir_, info_["inputs"]); }
  rt::Tolerance tolerance(const char* what) const {
    return rt::Tolerance::from_json(info_["tolerances"][what]);
  }

  fs::path dir_;
  nlohmann::json info_;
  std::optional<keras::Model> model_;
};

std::string case_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace

// ---- every case: the summary Keras prints in a pipe (76 columns) ----

using RnnSummary = RnnCase;

TEST_P(RnnSummary, MatchesKeras) {
  rt::EnvGuard columns("COLUMNS", "80");
  EXPECT_EQ(model_->summary_string(), rt::read_file(dir_ / "summary.txt"));
  EXPECT_EQ(model_->count_params(), info_["count_params"].get<std::int64_t>());
}

INSTANTIATE_TEST_SUITE_P(Keras, RnnSummary, testing::ValuesIn(rt::case_names()), case_name);

// ---- numeric cases: outputs, gradients, one RMSprop step ----

using RnnNumeric = RnnCase;

TEST_P(RnnNumeric, OutputsMatchKeras) {
  const std::vector<keras::Tensor> ys = (*model_)(inputs(), /*training=*/false);
  const auto& outputs = info_["outputs"];
  ASSERT_EQ(ys.size(), outputs.size()) << "number of outputs";
  for (std::size_t i = 0; i < ys.size(); ++i) {
    rt::expect_close(ys[i], rt::load(dir_, outputs[i]["file"]), tolerance("outputs"),
                     "output " + std::to_string(i));
  }
}

TEST_P(RnnNumeric, GradientsMatchKeras) {
  const auto& trainable = info_["trainable_weights"];
  ASSERT_EQ(model_->trainable_weights().size(), trainable.size()) << "trainable weights";
  const std::vector<keras::Tensor> xs = inputs();
  const rt::LossGradients grads =
      rt::loss_gradients(*model_, xs, rt::load_all(dir_, info_["outputs"], "cotangent"));
  const rt::Tolerance tol = tolerance("gradients");
  for (std::size_t k = 0; k < trainable.size(); ++k) {
    rt::expect_close(grads.weights[k], rt::load(dir_, trainable[k]["gradient"]), tol,
                     "d loss / d " + trainable[k]["path"].get<std::string>());
  }
  const auto& input_info = info_["inputs"];
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (input_info[i]["gradient"].is_null()) continue;
    rt::expect_close(grads.inputs[i], rt::load(dir_, input_info[i]["gradient"]), tol,
                     "d loss / d input " + std::to_string(i));
  }
}

TEST_P(RnnNumeric, RmspropStepMatchesKeras) {
  ASSERT_EQ(model_->trainable_weights().size(), info_["trainable_weights"].size());
  const rt::LossGradients grads =
      rt::loss_gradients(*model_, inputs(), rt::load_all(dir_, info_["outputs"], "cotangent"));
  keras::optimizers::Optimizer rmsprop = keras::optimizers::RMSprop({.learning_rate = 0.01});
  rmsprop.apply(grads.weights, model_->trainable_weights());

  const std::vector<keras::Tensor> after = model_->get_weights();
  const auto& weights = info_["weights"];
  ASSERT_EQ(after.size(), weights.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    rt::expect_close(after[k], rt::load(dir_, weights[k]["after_rmsprop"]),
                     tolerance("weights_after_rmsprop"),
                     weights[k]["path"].get<std::string>() + " after one RMSprop step");
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, RnnNumeric, testing::ValuesIn(rt::case_names("numeric")),
                         case_name);

// ---- stateful cases: successive calls carry the states, reset_states clears them ----

using RnnStateful = RnnCase;

TEST_P(RnnStateful, CallsMatchKeras) {
  const auto& calls = info_["calls"];
  ASSERT_FALSE(calls.empty());
  for (std::size_t c = 0; c < calls.size(); ++c) {
    if (calls[c]["reset_states_before"].get<bool>()) {
      ASSERT_GT(rt::reset_rnn_states(*model_), 0) << "no RNN layer to reset";
    }
    std::vector<keras::Tensor> xs;
    for (const auto& f : calls[c]["inputs"]) xs.push_back(rt::load(dir_, f));
    const std::vector<keras::Tensor> ys = (*model_)(xs, /*training=*/false);
    const auto& expected = calls[c]["outputs"];
    ASSERT_EQ(ys.size(), expected.size()) << "call " << c;
    for (std::size_t i = 0; i < ys.size(); ++i) {
      rt::expect_close(ys[i], rt::load(dir_, expected[i]), tolerance("outputs"),
                       "call " + std::to_string(c) + " output " + std::to_string(i));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, RnnStateful, testing::ValuesIn(rt::case_names("stateful")),
                         case_name);

// ---- the fixture set itself ----

TEST(RnnFixtures, IndexListsEveryCaseDirectory) {
  const nlohmann::json index = rt::read_json(rt::fixtures_dir() / "index.json");
  std::vector<std::string> listed = index["cases"].get<std::vector<std::string>>();
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, rt::case_names());
  EXPECT_GE(listed.size(), 50u);
}

TEST(RnnFixtures, EveryCaseHasAKnownKind) {
  const auto all = rt::case_names();
  const std::size_t known = rt::case_names("numeric").size() + rt::case_names("stateful").size() +
                            rt::case_names("summary_only").size();
  EXPECT_EQ(known, all.size());
  EXPECT_GE(rt::case_names("stateful").size(), 1u);
  EXPECT_GE(rt::case_names("summary_only").size(), 1u);
}
