// Legacy .h5 files saved by kerascpp, committed under
// tests/fixtures/legacy_h5_kerascpp_saved/<case>/ so that
// reference/check_kerascpp_saved.py can load them in real Keras (by hand, not
// in CI) and check Keras' predictions and training against kerascpp's.
// Here: the committed files still load in C++ with the recorded outputs and
// train on to the recorded weights.
// Regenerate with KERASCPP_WRITE_SAVED_H5_FIXTURES=1 kerascpp_saving_tests
// --gtest_filter='LegacyH5Saved.*' (or =case1,case2 for only those cases).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/keras_file_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using namespace keras::keras_file_testing;

const keras::FitOptions kOneEpoch{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};

// Deterministic weights (variances positive).
void fill_weights(keras::Model& model) {
  std::vector<keras::Tensor> values;
  int salt = 0;
  for (const keras::Variable& w : model.weights()) {
    std::vector<float> v(static_cast<std::size_t>(w.shape().num_elements()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = 0.4f * static_cast<float>((static_cast<int>(i) * 7 + salt * 3) % 11 - 5) / 5.0f;
      if (w.name() == "moving_variance") v[i] = 0.5f + std::abs(v[i]);
    }
    values.emplace_back(w.shape(), v);
    ++salt;
  }
  model.set_weights(values);
}

// (batch, 7) token ids in [1, 20) whose rows end in 0 to 2 padding zeros.
keras::Tensor tokens(std::int64_t batch) {
  std::vector<std::int32_t> v;
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t t = 0; t < 7; ++t) {
      v.push_back(t < 7 - b % 3 ? static_cast<std::int32_t>(1 + (b * 5 + t * 3) % 19) : 0);
    }
  }
  return keras::Tensor(keras::Shape{batch, 7}, v);
}

keras::Tensor one_hot(const keras::Shape& leading, std::int64_t classes) {
  std::vector<float> v;
  for (std::int64_t i = 0; i < leading.num_elements(); ++i) {
    for (std::int64_t c = 0; c < classes; ++c) v.push_back(c == (i * 7 + 1) % classes ? 1.f : 0.f);
  }
  return keras::Tensor(leading.append(classes), v);
}

struct Case {
  std::string name;
  std::function<keras::Model()> make;            // built, filled, compiled (and trained) as saved
  std::function<keras::Tensor(std::int64_t)> x;  // inputs for a batch size
  keras::Tensor y_train;      // targets of x(8); undefined: not compiled, no training
  bool weights_after = true;  // false with Dropout (Keras draws other masks)
};

keras::Tensor normal_x(const keras::Shape& sample, std::int64_t batch) {
  return ramp(sample.prepend(batch), 0.2f);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"seed2_flatten",
       [] {
         keras::Sequential m({keras::Input({3, 2}), L::Dense(16), L::Activation("relu"),
                              L::Flatten(), L::Dense(4)});
         fill_weights(m);
         m.compile({.optimizer = "sgd", .loss = "mse"});
         m.fit(normal_x({3, 2}, 8), ramp({8, 4}, 0.1f), kOneEpoch);
         return keras::Model(m.ptr());
       },
       [](std::int64_t n) {
         return normal_x({3, 2}, n);
       },
       ramp({8, 4}, 0.1f)},
      {"adam_continue",
       [] {
         keras::Sequential m({keras::Input({4}), L::Dense(8, {.activation = "tanh"}), L::Dense(3)});
         fill_weights(m);
         m.compile({.optimizer = keras::optimizers::Adam(
                        {.learning_rate = 0.01, .beta_1 = 0.8, .amsgrad = true}),
                    .loss = "mse",
                    .metrics = {"mae"}});
         m.fit(normal_x({4}, 8), ramp({8, 3}, 0.05f), kOneEpoch);
         return keras::Model(m.ptr());
       },
       [](std::int64_t n) { return normal_x({4}, n); }, ramp({8, 3}, 0.05f)},
      {"cnn_trained",
       [] {
         keras::Sequential m({keras::Input({8, 8, 1}), L::Conv2D(4, 3, {.activation = "relu"}),
                              L::BatchNormalization(), L::MaxPooling2D(),
                              L::Dropout(0.25, {.seed = 3}), L::Conv2D(4, 2, {.padding = "same"}),
                              L::GlobalAveragePooling2D(), L::Dense(3, {.activation = "softmax"})});
         fill_weights(m);
         m.compile(
             {.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
         m.fit(normal_x({8, 8, 1}, 8), one_hot({8}, 3), kOneEpoch);
         return keras::Model(m.ptr());
       },
       [](std::int64_t n) {
         return normal_x({8, 8, 1}, n);
       },
       one_hot({8}, 3), false},
      {"sequential_tagger",
       [] {
         keras::Sequential m(
             {keras::Input({7}, {.dtype = "int32"}), L::Embedding(20, 6, {.mask_zero = true}),
              L::Bidirectional(L::LSTM(5, {.return_sequences = true}), {.merge_mode = "ave"}),
              L::TimeDistributed(L::Dense(4, {.activation = "softmax"}))});
         fill_weights(m);
         m.compile(
             {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
         m.fit(tokens(8), one_hot({8, 7}, 4), kOneEpoch);
         return keras::Model(m.ptr());
       },
       tokens, one_hot({8, 7}, 4)},
      // Its NotEqual mask operation keeps its module, so that Keras can load it.
      {"functional_tagger",
       [] {
         auto ids = keras::Input({7}, {.dtype = "int32"});
         auto h = L::Embedding(20, 6, {.mask_zero = true})(ids);
         h = L::Bidirectional(L::LSTM(5, {.return_sequences = true}), {.merge_mode = "ave"})(h);
         h = L::Dense(8)(h);
         keras::Model m(ids, L::TimeDistributed(L::Dense(4, {.activation = "softmax"}))(h));
         fill_weights(m);
         m.compile(
             {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
         m.fit(tokens(8), one_hot({8, 7}, 4), kOneEpoch);
         return m;
       },
       tokens, one_hot({8, 7}, 4)},
      {"sequential_gru",
       [] {
         keras::Sequential m(
             {keras::Input({6, 3}), L::Masking(), L::SimpleRNN(4, {.return_sequences = true}),
              L::GRU(3, {.return_sequences = true, .reset_after = false}), L::GRU(3), L::Dense(2)});
         fill_weights(m);
         m.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}), .loss = "mse"});
         m.fit(normal_x({6, 3}, 8), ramp({8, 2}, 0.1f), kOneEpoch);
         return keras::Model(m.ptr());
       },
       [](std::int64_t n) {
         return normal_x({6, 3}, n);
       },
       ramp({8, 2}, 0.1f)},
      // Nested models hold their layers' weights in one layer group, trainable
      // ones (of every inner layer) first; no training.
      {"nested_models",
       [] {
         keras::Sequential inner({keras::Input({6}), L::Dense(4), L::BatchNormalization(),
                                  L::Dense(3, {.activation = "relu"})});
         auto x = keras::Input({5});
         keras::Model m(x, L::Dense(2)(inner(L::Dense(6)(x))));
         fill_weights(m);
         return m;
       },
       [](std::int64_t n) { return normal_x({5}, n); }, keras::Tensor()},
  };
  return all;
}

fs::path case_dir(const std::string& name) {
  return fs::path(KERASCPP_FIXTURES_DIR) / "legacy_h5_kerascpp_saved" / name;
}

std::string two_digits(std::size_t i) { return (i < 10 ? "0" : "") + std::to_string(i); }

// KERASCPP_WRITE_SAVED_H5_FIXTURES=1: (re)write the committed files;
// =name1,name2: only those cases.
TEST(LegacyH5Saved, WriteFixturesWhenAsked) {
  const char* which = std::getenv("KERASCPP_WRITE_SAVED_H5_FIXTURES");
  if (which == nullptr) GTEST_SKIP();
  const std::string wanted = "," + std::string(which) + ",";
  for (const Case& c : cases()) {
    if (wanted != ",1," && wanted.find("," + c.name + ",") == std::string::npos) continue;
    const fs::path dir = case_dir(c.name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    keras::backend::clear_session();  // names as in a fresh process
    const keras::Model model = c.make();
    model.save((dir / "model.h5").string());
    keras::io::save_npy((dir / "x_0.npy").string(), c.x(3));
    keras::io::save_npy((dir / "y_0.npy").string(), model.predict(c.x(3)));
    if (!c.y_train.defined()) continue;
    keras::io::save_npy((dir / "x_train.npy").string(), c.x(8));
    keras::io::save_npy((dir / "y_train.npy").string(), c.y_train);
    if (!c.weights_after) continue;
    model.fit(c.x(8), c.y_train, kOneEpoch);
    const auto weights = model.get_weights();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      keras::io::save_npy((dir / ("weights_after_" + two_digits(i) + ".npy")).string(), weights[i]);
    }
  }
}

TEST(LegacyH5Saved, CommittedFilesLoadAndTrainOn) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const fs::path dir = case_dir(c.name);
    ASSERT_TRUE(fs::exists(dir / "model.h5")) << "run with KERASCPP_WRITE_SAVED_H5_FIXTURES=1";
    const keras::Model model = keras::load_model((dir / "model.h5").string());
    expect_close(model.predict(c.x(3)), keras::io::load_npy((dir / "y_0.npy").string()), 1e-6,
                 "output");
    if (!c.y_train.defined()) {
      EXPECT_FALSE(fs::exists(dir / "x_train.npy"));
      continue;
    }
    model.fit(keras::io::load_npy((dir / "x_train.npy").string()),
              keras::io::load_npy((dir / "y_train.npy").string()), kOneEpoch);
    const auto weights = model.get_weights();
    if (!c.weights_after) {
      EXPECT_FALSE(fs::exists(dir / "weights_after_00.npy"));
      continue;
    }
    const auto want = numbered_npy(dir, "weights_after_");
    ASSERT_EQ(weights.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) expect_close(weights[i], want[i], 1e-6, "w");
  }
}

}  // namespace
