// .keras files saved by kerascpp, committed under
// tests/fixtures/saving_keras/kerascpp_saved/<case>/ so that
// reference/check_kerascpp_saved.py can load them in real Keras (by hand, not
// in CI) and check Keras' predictions and training against kerascpp's.
// Here: the committed files still load in C++ with the recorded outputs, and
// saving the same model today writes the same config.json.
// Regenerate with KERASCPP_WRITE_SAVED_FIXTURES=1 kerascpp_saving_tests
// --gtest_filter='KerascppSaved.*' (or =case1,case2 for only those cases).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
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

// Deterministic weights, independent of the random generators (variances
// positive).
void fill_weights(keras::Model& model) {
  std::vector<keras::Tensor> values;
  int salt = 0;
  for (const keras::Variable& w : model.weights()) {
    std::vector<float> v(static_cast<std::size_t>(w.shape().num_elements()));
    const bool variance = w.name() == "moving_variance";
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = 0.4f * static_cast<float>((static_cast<int>(i) * 7 + salt * 3) % 11 - 5) / 5.0f;
      if (variance) v[i] = 0.5f + std::abs(v[i]);
    }
    values.emplace_back(w.shape(), v);
    ++salt;
  }
  model.set_weights(values);
}

// Training data: the inputs (one model input) and the targets.
struct TrainData {
  keras::Tensor x;
  keras::Tensor y;
};

struct Case {
  std::string name;
  std::function<keras::Model()> make;  // built, weights filled, compiled and fitted as saved
  // The data of one more epoch after loading (x_train.npy, y_train.npy);
  // none when empty.
  std::function<TrainData()> train;
  // Whether the weights after that epoch (weights_after_NN.npy) are
  // written: not for a model with Dropout, whose masks Keras draws
  // differently (check_kerascpp_saved.py then only checks that Keras trains).
  bool weights_after = true;
  // The inputs predict runs on; empty: inputs_for(model).
  std::function<std::vector<keras::Tensor>()> inputs;
};

keras::Tensor data(const keras::Shape& shape, float scale) { return ramp(shape, scale); }

// (batch, steps) token ids in [1, vocab), each row ending in 0 to 2 padding
// zeros (row b keeps steps - b % 3 tokens), for an Embedding with mask_zero.
keras::Tensor tokens(std::int64_t batch, std::int64_t steps, std::int64_t vocab) {
  std::vector<std::int32_t> v;
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t t = 0; t < steps; ++t) {
      const bool kept = t < steps - b % 3;
      v.push_back(kept ? static_cast<std::int32_t>(1 + (b * 5 + t * 3) % (vocab - 1)) : 0);
    }
  }
  return keras::Tensor(keras::Shape{batch, steps}, v);
}

// One-hot targets of shape leading + (classes,): class (flat index % classes).
keras::Tensor one_hot(const keras::Shape& leading, std::int64_t classes) {
  std::vector<float> v;
  for (std::int64_t i = 0; i < leading.num_elements(); ++i) {
    for (std::int64_t c = 0; c < classes; ++c) v.push_back(c == (i * 7 + 1) % classes ? 1.f : 0.f);
  }
  return keras::Tensor(leading.append(classes), v);
}

// Sequences whose last steps are all zeros in some rows, for Masking.
keras::Tensor padded_sequences(const keras::Shape& shape) {
  keras::Tensor x = data(shape, 0.2f).clone();
  float* p = x.data<float>();
  const std::int64_t steps = shape[1], features = shape[2];
  for (std::int64_t b = 0; b < shape[0]; ++b) {
    for (std::int64_t t = steps - b % 3; t < steps; ++t) {
      for (std::int64_t f = 0; f < features; ++f) p[(b * steps + t) * features + f] = 0.f;
    }
  }
  return x;
}

const keras::FitOptions kOneEpoch{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};

TrainData adam_data() { return {data({8, 4}, 0.3f), data({8, 3}, 0.05f)}; }
// Four images: one step of batch_size 4.
TrainData cnn_data() { return {data({4, 8, 8, 1}, 0.15f), one_hot({4}, 3)}; }
TrainData tagger_data() { return {tokens(8, 7, 20), one_hot({8, 7}, 4)}; }
TrainData gru_data() { return {padded_sequences({8, 6, 3}), data({8, 2}, 0.1f)}; }

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
         const TrainData d = adam_data();
         m.fit(d.x, d.y, kOneEpoch);
         return keras::Model(m.ptr());
       },
       adam_data},
      // A small CNN trained one step (BatchNormalization's moving statistics
      // and Adam's slots move).
      {"cnn_trained",
       [] {
         keras::Sequential m({keras::Input({8, 8, 1}), L::Conv2D(4, 3, {.activation = "relu"}),
                              L::BatchNormalization(), L::MaxPooling2D(),
                              L::Dropout(0.25, {.seed = 3}), L::Conv2D(4, 2, {.padding = "same"}),
                              L::GlobalAveragePooling2D(), L::Dense(3, {.activation = "softmax"})});
         fill_weights(m);
         m.compile(
             {.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
         const TrainData d = cnn_data();
         m.fit(d.x, d.y, kOneEpoch);
         return keras::Model(m.ptr());
       },
       cnn_data, /*weights_after=*/false},
      // The tagger of DESIGN.md, small, with padded (masked) token sequences.
      {"sequential_tagger",
       [] {
         keras::Sequential m(
             {keras::Input({7}, {.dtype = "int32"}), L::Embedding(20, 6, {.mask_zero = true}),
              L::Bidirectional(L::LSTM(5, {.return_sequences = true}), {.merge_mode = "ave"}),
              L::TimeDistributed(L::Dense(4, {.activation = "softmax"}))});
         fill_weights(m);
         m.compile(
             {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
         const TrainData d = tagger_data();
         m.fit(d.x, d.y, kOneEpoch);
         return keras::Model(m.ptr());
       },
       tagger_data, true, [] { return std::vector<keras::Tensor>{tokens(3, 7, 20)}; }},
      // Masked float sequences through SimpleRNN and both GRU variants.
      {"sequential_gru",
       [] {
         keras::Sequential m(
             {keras::Input({6, 3}), L::Masking(), L::SimpleRNN(4, {.return_sequences = true}),
              L::GRU(3, {.return_sequences = true, .reset_after = false}), L::GRU(3), L::Dense(2)});
         fill_weights(m);
         m.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}), .loss = "mse"});
         const TrainData d = gru_data();
         m.fit(d.x, d.y, kOneEpoch);
         return keras::Model(m.ptr());
       },
       gru_data, true,
       [] {
         return std::vector<keras::Tensor>{padded_sequences({3, 6, 3})};
       }},
      // The tagger as a functional model: its mask is a NotEqual node that
      // the Bidirectional and TimeDistributed calls take as mask=.
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
         const TrainData d = tagger_data();
         m.fit(d.x, d.y, kOneEpoch);
         return m;
       },
       tagger_data, true, [] { return std::vector<keras::Tensor>{tokens(3, 7, 20)}; }},
      // Every convolution, pooling and spatial reshaping layer once.
      {"functional_every_conv_layer",
       [] {
         auto image = keras::Input({8, 8, 2}, {.name = "image"});
         auto h = L::ZeroPadding2D({.padding = {{1, 0}, {0, 1}}})(image);
         h = L::Conv2D(4, 3, {.strides = 2, .activation = "relu"})(h);
         h = L::DepthwiseConv2D(2, {.padding = "same", .depth_multiplier = 2})(h);
         h = L::SeparableConv2D(4, 2, {.activation = "tanh"})(h);
         h = L::Conv2DTranspose(3, 3, {.strides = 2, .padding = "same", .output_padding = 1})(h);
         h = L::Cropping2D({.cropping = 1})(h);
         h = L::UpSampling2D({.size = {1, 2}})(h);
         h = L::AveragePooling2D(2, {.strides = {1, 2}})(h);
         auto pooled = L::GlobalMaxPooling2D()(h);
         auto image_mean = L::GlobalAveragePooling2D()(h);
         auto steps = keras::Input({10, 3}, {.name = "steps"});
         auto s = L::Conv1D(4, 3, {.padding = "causal", .dilation_rate = 2})(steps);
         s = L::MaxPooling1D({.pool_size = 2})(s);
         s = L::AveragePooling1D(2, {.padding = "same"})(s);
         auto steps_max = L::GlobalMaxPooling1D()(s);
         auto steps_mean = L::GlobalAveragePooling1D()(s);
         auto all = L::Concatenate()({pooled, image_mean, steps_max, steps_mean})[0];
         keras::Model m({image, steps}, L::Dense(2)(all), {.name = "every_conv_layer"});
         fill_weights(m);
         return m;
       }},
  };
  return all;
}

fs::path case_dir(const std::string& name) {
  return fs::path(KERASCPP_FIXTURES_DIR) / "saving_keras" / "kerascpp_saved" / name;
}

std::vector<keras::Tensor> inputs_for(const Case& c, const keras::Model& model) {
  if (c.inputs) return c.inputs();
  std::vector<keras::Tensor> xs;
  float scale = 0.25f;
  for (const keras::KerasTensor& in : model.inputs()) {
    xs.push_back(data(in.shape().with_dim(0, 3), scale));
    scale += 0.1f;
  }
  return xs;
}

std::string two_digits(std::size_t i) { return (i < 10 ? "0" : "") + std::to_string(i); }

// KERASCPP_WRITE_SAVED_FIXTURES=1: (re)write the committed files;
// KERASCPP_WRITE_SAVED_FIXTURES=name1,name2 only those cases.
TEST(KerascppSaved, WriteFixturesWhenAsked) {
  const char* which = std::getenv("KERASCPP_WRITE_SAVED_FIXTURES");
  if (which == nullptr) GTEST_SKIP();
  const std::string wanted = "," + std::string(which) + ",";
  for (const Case& c : cases()) {
    if (wanted != ",1," && wanted.find("," + c.name + ",") == std::string::npos) continue;
    const fs::path dir = case_dir(c.name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    keras::backend::clear_session();  // names as in a fresh process
    keras::Model model = c.make();
    model.save((dir / "model.keras").string());
    const auto xs = inputs_for(c, model);
    const auto ys = model.predict(xs);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      keras::io::save_npy((dir / ("x_" + std::to_string(i) + ".npy")).string(), xs[i]);
    }
    for (std::size_t i = 0; i < ys.size(); ++i) {
      keras::io::save_npy((dir / ("y_" + std::to_string(i) + ".npy")).string(), ys[i]);
    }
    if (c.train) {
      const TrainData d = c.train();
      keras::io::save_npy((dir / "x_train.npy").string(), d.x);
      keras::io::save_npy((dir / "y_train.npy").string(), d.y);
      if (!c.weights_after) continue;
      model.fit(d.x, d.y, kOneEpoch);
      const auto weights = model.get_weights();
      for (std::size_t i = 0; i < weights.size(); ++i) {
        keras::io::save_npy((dir / ("weights_after_" + two_digits(i) + ".npy")).string(),
                            weights[i]);
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
    if (c.train) {
      ASSERT_TRUE(fs::exists(dir / "x_train.npy"));
      const keras::Tensor x = keras::io::load_npy((dir / "x_train.npy").string());
      const keras::Tensor y = keras::io::load_npy((dir / "y_train.npy").string());
      const auto before = model.get_weights();
      model.fit(x, y, kOneEpoch);
      const auto weights = model.get_weights();
      if (!c.weights_after) {
        // Trained on from the saved state: the weights moved.
        ASSERT_EQ(weights.size(), before.size());
        EXPECT_GT(keras::ops::max(keras::ops::abs(keras::ops::subtract(weights[0], before[0])))
                      .item<float>(),
                  0.f);
        continue;
      }
      const auto want = numbered_npy(dir, "weights_after_");
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
