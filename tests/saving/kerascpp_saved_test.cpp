// .keras files saved by kerascpp, committed under
// tests/fixtures/saving_keras/kerascpp_saved/<case>/ so that
// reference/check_kerascpp_saved.py can load them in real Keras (by hand, not
// in CI) and check Keras' predictions and training against kerascpp's.
// Here: the committed files still load in C++ with the recorded outputs, and
// saving the same model today writes the same config.json.
// Regenerate with KERASCPP_WRITE_SAVED_FIXTURES=1 kerascpp_saving_tests
// --gtest_filter='KerascppSaved.*'.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>

#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/config_testing.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

// Deterministic weights, independent of the random generators.
void fill_weights(keras::Model& model) {
  std::vector<keras::Tensor> values;
  int salt = 0;
  for (const keras::Tensor& w : model.get_weights()) {
    std::vector<float> v(static_cast<std::size_t>(w.shape().num_elements()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = 0.4f * static_cast<float>((static_cast<int>(i) * 7 + salt * 3) % 11 - 5) / 5.0f;
    }
    values.emplace_back(w.shape(), v);
    ++salt;
  }
  model.set_weights(values);
}

struct Case {
  std::string name;
  std::function<keras::Model()> make;  // built, weights filled, compiled and fitted as saved
  bool continue_training = false;
};

keras::Tensor data(const keras::Shape& shape, float scale) { return ramp(shape, scale); }

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"seed2_flatten",
       [] {
         keras::Sequential m({keras::Input({3, 2}), L::Dense(16), L::Activation("relu"),
                              L::Flatten(), L::Dense(4)});
         fill_weights(m);
         m.compile({.optimizer = "sgd", .loss = "mean_squared_error"});
         m.fit(data({8, 3, 2}, 0.2f), data({8, 4}, 0.1f),
               {.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false});
         return keras::Model(m.ptr());
       }},
      {"functional_every_core_layer",
       [] {
         auto a = keras::Input({5}, {.name = "a"});
         auto b = keras::Input({4, 3}, {.name = "b"});
         auto h = L::Rescaling(0.5, {.offset = 0.1})(a);
         h = L::Dense(6, {.activation = "tanh"})(h);
         h = L::RepeatVector(4)(h);
         auto t = L::TimeDistributed(L::Dense(6))(b);
         h = L::Add()({h, t})[0];
         h = L::Concatenate({.axis = -1})({h, b})[0];
         h = L::Permute({2, 1})(h);
         h = L::Dropout(0.3, {.seed = 7})(h);
         h = L::Reshape({-1, 4})(h);
         h = L::LeakyReLU({.negative_slope = 0.2})(h);
         h = L::ReLU({.max_value = 2.0})(h);
         auto flat = L::Flatten()(h);
         auto probs = L::Softmax()(L::Dense(3)(flat));
         auto act = L::Activation("sigmoid")(L::Dense(2)(flat));
         keras::Model m({a, b}, {probs, act}, {.name = "every_core_layer"});
         fill_weights(m);
         m.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}),
                    .loss = {"categorical_crossentropy", "mse"},
                    .metrics = keras::MetricList::per_output({{"accuracy"}, {"mae"}})});
         return m;
       }},
      {"nested_models",
       [] {
         auto i = keras::Input({6});
         keras::Model inner(i, L::Dense(3)(L::Dense(4, {.activation = "relu"})(i)));
         keras::Sequential inner_seq({keras::Input({3}), L::Dense(2), L::LeakyReLU()});
         auto x = keras::Input({6});
         keras::Model outer(x, inner_seq(inner(L::Dense(6)(x))));
         keras::Sequential m({keras::Input({6}), outer, L::Dense(2)});
         fill_weights(m);
         return keras::Model(m.ptr());
       }},
      {"adam_continue",
       [] {
         keras::Sequential m({keras::Input({4}), L::Dense(8, {.activation = "tanh"}), L::Dense(3)});
         fill_weights(m);
         m.compile({.optimizer = keras::optimizers::Adam(
                        {.learning_rate = 0.01, .beta_1 = 0.8, .amsgrad = true}),
                    .loss = "mse",
                    .metrics = {"mae"}});
         m.fit(data({8, 4}, 0.3f), data({8, 3}, 0.05f),
               {.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false});
         return keras::Model(m.ptr());
       },
       true},
  };
  return all;
}

fs::path case_dir(const std::string& name) {
  return fs::path(KERASCPP_FIXTURES_DIR) / "saving_keras" / "kerascpp_saved" / name;
}

std::vector<keras::Tensor> inputs_for(const keras::Model& model) {
  std::vector<keras::Tensor> xs;
  float scale = 0.25f;
  for (const keras::KerasTensor& in : model.inputs()) {
    xs.push_back(data(in.shape().with_dim(0, 3), scale));
    scale += 0.1f;
  }
  return xs;
}

const keras::FitOptions kOneMoreEpoch{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};

// KERASCPP_WRITE_SAVED_FIXTURES=1: (re)write the committed files.
TEST(KerascppSaved, WriteFixturesWhenAsked) {
  if (std::getenv("KERASCPP_WRITE_SAVED_FIXTURES") == nullptr) GTEST_SKIP();
  for (const Case& c : cases()) {
    const fs::path dir = case_dir(c.name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    keras::backend::clear_session();  // names as in a fresh process
    keras::Model model = c.make();
    model.save((dir / "model.keras").string());
    const auto xs = inputs_for(model);
    const auto ys = model.predict(xs);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      keras::io::save_npy((dir / ("x_" + std::to_string(i) + ".npy")).string(), xs[i]);
    }
    for (std::size_t i = 0; i < ys.size(); ++i) {
      keras::io::save_npy((dir / ("y_" + std::to_string(i) + ".npy")).string(), ys[i]);
    }
    if (c.continue_training) {
      const keras::Tensor x = data({8, 4}, 0.3f);
      const keras::Tensor y = data({8, 3}, 0.05f);
      keras::io::save_npy((dir / "x_train.npy").string(), x);
      keras::io::save_npy((dir / "y_train.npy").string(), y);
      model.fit(x, y, kOneMoreEpoch);
      const auto weights = model.get_weights();
      for (std::size_t i = 0; i < weights.size(); ++i) {
        std::string n = std::to_string(i);
        if (n.size() < 2) n = "0" + n;
        keras::io::save_npy((dir / ("weights_after_" + n + ".npy")).string(), weights[i]);
      }
    }
  }
}

TEST(KerascppSaved, CommittedFilesLoadWithTheirOutputs) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const fs::path dir = case_dir(c.name);
    ASSERT_TRUE(fs::exists(dir / "model.keras")) << "run with KERASCPP_WRITE_SAVED_FIXTURES=1";
    keras::Model model = keras::load_model((dir / "model.keras").string());
    const auto ys = numbered_npy(dir, "y_");
    const auto got = model.predict(numbered_npy(dir, "x_"));
    ASSERT_EQ(got.size(), ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i) expect_close(got[i], ys[i], 1e-6, "output");
    if (c.continue_training) {
      model.fit(keras::io::load_npy((dir / "x_train.npy").string()),
                keras::io::load_npy((dir / "y_train.npy").string()), kOneMoreEpoch);
      const auto want = numbered_npy(dir, "weights_after_");
      const auto weights = model.get_weights();
      ASSERT_EQ(weights.size(), want.size());
      for (std::size_t i = 0; i < want.size(); ++i) expect_close(weights[i], want[i], 1e-6, "w");
    }
  }
}

TEST(KerascppSaved, SavingTheSameModelWritesTheCommittedConfig) {
  TempDir tmp;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    keras::backend::clear_session();  // names as in a fresh process
    keras::Model model = c.make();
    model.save(tmp.file(c.name + ".keras"));
    const json ours = json::parse(read_member(tmp.file(c.name + ".keras"), "config.json"));
    const json committed =
        json::parse(read_member((case_dir(c.name) / "model.keras").string(), "config.json"));
    EXPECT_EQ(keras::config_testing::difference(ours, committed), "");
  }
}

}  // namespace
