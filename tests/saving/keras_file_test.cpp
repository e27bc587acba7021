// model.save / keras::load_model with Keras 3's .keras files: files saved by
// real Keras (tests/fixtures/saving_keras/models, made by
// reference/make_saving_fixtures.py) load and predict as Keras does, and save
// back to the same config.json; C++ round trips keep predictions, weights
// and the training state.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "keras/error.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/config_testing.hpp"
#include "saving/keras_archive.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

TEST(KerasFixtures, LoadAndPredictAsKeras) {
  int cases = 0;
  for (const fs::path& dir : fixture_cases()) {
    SCOPED_TRACE(dir.filename().string());
    keras::Model model = keras::load_model((dir / "model.keras").string());
    const auto xs = numbered_npy(dir, "x_");
    const auto ys = numbered_npy(dir, "y_");
    ASSERT_EQ(ys.size(), model.outputs().size());
    const auto got = model.predict(xs);
    ASSERT_EQ(got.size(), ys.size());
    for (std::size_t i = 0; i < ys.size(); ++i)
      expect_close(got[i], ys[i], 1e-5, "y_" + std::to_string(i));
    ++cases;
  }
  EXPECT_GE(cases, 12);
}

TEST(KerasFixtures, SummaryOfTheLoadedModelIsKeras) {
  for (const fs::path& dir : fixture_cases()) {
    SCOPED_TRACE(dir.filename().string());
    keras::Model model = keras::load_model((dir / "model.keras").string());
    EXPECT_EQ(model.summary_string({.line_length = 76, .console_width = 80}),
              read_text(dir / "summary.txt"));
  }
}

// What kerascpp writes for a model it read from Keras equals Keras' own
// config.json, value for value (compile_config included).
TEST(KerasFixtures, SavedConfigEqualsKerasConfig) {
  TempDir tmp;
  int compared = 0;
  for (const fs::path& dir : fixture_cases()) {
    SCOPED_TRACE(dir.filename().string());
    keras::Model model = keras::load_model((dir / "model.keras").string());
    const std::string out = tmp.file(dir.filename().string() + ".keras");
    model.save(out);
    const json ours = json::parse(read_member(out, "config.json"));
    const json keras = json::parse(read_member((dir / "model.keras").string(), "config.json"));
    EXPECT_EQ(keras::config_testing::difference(ours, keras), "");
    ++compared;
  }
  EXPECT_GE(compared, 12);
}

TEST(KerasFixtures, MetadataHoldsVersionAndDate) {
  TempDir tmp;
  keras::Model model = keras::load_model(fixture("seed2_flatten") + "/model.keras");
  model.save(tmp.file("m.keras"));
  const json metadata = json::parse(read_member(tmp.file("m.keras"), "metadata.json"));
  ASSERT_EQ(metadata.size(), 2u);
  EXPECT_EQ(metadata.at("keras_version"), "3.15.1");
  EXPECT_TRUE(std::regex_match(metadata.at("date_saved").get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d)")))
      << metadata.dump();
}

// Keras saved adam_continue after one epoch of Adam(amsgrad); fitting one
// more epoch here from the loaded state reaches Keras' weights.
TEST(KerasFixtures, TrainingContinuesFromKerasOptimizerState) {
  const std::string dir = fixture("adam_continue");
  keras::Model model = keras::load_model(dir + "/model.keras");
  const keras::Tensor x = keras::io::load_npy(dir + "/x_train.npy");
  const keras::Tensor y = keras::io::load_npy(dir + "/y_train.npy");
  EXPECT_EQ(model.optimizer().iterations(), 2);
  model.fit(x, y, {.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false});
  EXPECT_EQ(model.optimizer().iterations(), 4);
  const auto want = numbered_npy(dir, "weights_after_");
  const auto got = model.get_weights();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    expect_close(got[i], want[i], 1e-5, "weight " + std::to_string(i));
  }
}

TEST(KerasFixtures, LoadWithoutCompileLeavesTheModelUncompiled) {
  keras::Model model =
      keras::load_model(fixture("seed2_flatten") + "/model.keras", {.compile = false});
  EXPECT_THROW(model.optimizer(), keras::Error);
  const auto xs = numbered_npy(fixture("seed2_flatten"), "x_");
  expect_close(model.predict(xs[0]), keras::io::load_npy(fixture("seed2_flatten") + "/y_0.npy"),
               1e-5, "y");
}

// ---- C++ round trips ----

TEST(SaveLoad, RoundTripKeepsPredictionsWeightsAndNames) {
  TempDir tmp;
  keras::utils::set_random_seed(3);
  auto a = keras::Input({5}, {.name = "a"});
  auto b = keras::Input({3}, {.name = "b"});
  auto h = L::Concatenate()({L::Dense(4, {.activation = "relu"})(a), b})[0];
  h = L::Dropout(0.5, {.seed = 4})(h);
  h = L::Reshape({7, 1})(h);
  h = L::TimeDistributed(L::Dense(2))(h);
  h = L::Flatten()(h);
  auto out1 = L::Dense(3, {.activation = "softmax"})(h);
  auto out2 = L::Add()({L::Dense(2)(h), L::Dense(2)(h)})[0];
  keras::Model model({a, b}, {out1, out2}, {.name = "two_by_two"});
  model.save(tmp.file("m.keras"));
  keras::Model again = keras::load_model(tmp.file("m.keras"));

  EXPECT_EQ(again.name(), "two_by_two");
  ASSERT_EQ(again.layers().size(), model.layers().size());
  for (std::size_t i = 0; i < model.layers().size(); ++i) {
    EXPECT_EQ(again.layers()[i].name(), model.layers()[i].name());
  }
  const auto w0 = model.get_weights();
  const auto w1 = again.get_weights();
  ASSERT_EQ(w0.size(), w1.size());
  for (std::size_t i = 0; i < w0.size(); ++i) expect_close(w1[i], w0[i], 0, "weight");
  const std::vector<keras::Tensor> xs = {ramp({4, 5}), ramp({4, 3}, 0.3f)};
  const auto y0 = model.predict(xs);
  const auto y1 = again.predict(xs);
  for (std::size_t i = 0; i < y0.size(); ++i) expect_close(y1[i], y0[i], 0, "output");
  // Saving the loaded model writes the same config again.
  again.save(tmp.file("again.keras"));
  EXPECT_EQ(keras::config_testing::difference(
                json::parse(read_member(tmp.file("again.keras"), "config.json")),
                json::parse(read_member(tmp.file("m.keras"), "config.json"))),
            "");
}

TEST(SaveLoad, ArchiveHoldsKerasMembersUncompressed) {
  TempDir tmp;
  keras::Sequential model({keras::Input({3}), L::Dense(2)});
  model.save(tmp.file("m.keras"));
  EXPECT_EQ(archive_entries(tmp.file("m.keras")),
            (std::vector<std::string>{"metadata.json:stored", "config.json:stored",
                                      "model.weights.h5:stored"}));
  EXPECT_EQ(tmp.files(), std::vector<std::string>{"m.keras"});  // no temporary left
}

TEST(SaveLoad, NestedModelsRoundTrip) {
  TempDir tmp;
  keras::utils::set_random_seed(5);
  auto i = keras::Input({6});
  keras::Model inner(i, L::Dense(3)(L::Dense(4, {.activation = "relu"})(i)));
  keras::Sequential inner_seq({keras::Input({3}), L::Dense(2), L::LeakyReLU()});
  auto x = keras::Input({6});
  auto h = inner(L::Dense(6)(x));
  keras::Model outer(x, inner_seq(h));
  keras::Sequential model({keras::Input({6}), outer, L::Dense(2)});
  model.save(tmp.file("m.keras"));
  keras::Model again = keras::load_model(tmp.file("m.keras"));
  const keras::Tensor in = ramp({3, 6});
  expect_close(again.predict(in), model.predict(in), 0, "output");
  EXPECT_EQ(again.summary_string({.line_length = 76, .console_width = 80}),
            model.summary_string({.line_length = 76, .console_width = 80}));
}

// fit 1 epoch, save, load, fit 1 more == fit 2 epochs.
TEST(SaveLoad, TrainingContinuesExactlyAfterLoad) {
  const std::vector<keras::optimizers::Optimizer> optimizers = {
      keras::optimizers::Adam({.learning_rate = 0.01, .amsgrad = true}),
      keras::optimizers::SGD({.learning_rate = 0.05, .momentum = 0.9, .nesterov = true}),
      keras::optimizers::RMSprop({.centered = true}),
  };
  const keras::Tensor x = ramp({16, 4});
  const keras::Tensor y = ramp({16, 3}, 0.05f);
  for (std::size_t k = 0; k < optimizers.size(); ++k) {
    SCOPED_TRACE("optimizer " + std::to_string(k));
    TempDir tmp;
    auto make = [] {
      keras::utils::set_random_seed(11);
      return keras::Sequential(
          {keras::Input({4}), L::Dense(8, {.activation = "tanh"}), L::Dense(3)});
    };
    keras::Sequential straight = make();
    keras::Sequential halves = make();
    auto compile = [&](keras::Model& m) {
      // A fresh optimizer of the same config for each model.
      json config = keras::keras_file_testing::optimizer_config(optimizers[k]);
      m.compile({.optimizer = keras::keras_file_testing::optimizer_from(config),
                 .loss = "mse",
                 .metrics = {"mae"}});
    };
    compile(straight);
    compile(halves);
    const keras::FitOptions fit{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};
    keras::FitOptions two = fit;
    two.epochs = 2;
    straight.fit(x, y, two);
    halves.fit(x, y, fit);
    halves.save(tmp.file("m.keras"));
    keras::Model loaded = keras::load_model(tmp.file("m.keras"));
    EXPECT_EQ(loaded.optimizer().iterations(), 4);
    loaded.fit(x, y, fit);
    const auto want = straight.get_weights();
    const auto got = loaded.get_weights();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) expect_close(got[i], want[i], 1e-6, "weight");
    const auto want_opt = straight.optimizer().variables();
    const auto got_opt = loaded.optimizer().variables();
    ASSERT_EQ(got_opt.size(), want_opt.size());
    for (std::size_t i = 0; i < want_opt.size(); ++i) {
      expect_close(got_opt[i].value(), want_opt[i].value(), 1e-6, got_opt[i].path());
    }
  }
}

TEST(SaveLoad, EveryOptimizerConfigRoundTrips) {
  namespace opt = keras::optimizers;
  const std::vector<opt::Optimizer> all = {
      opt::SGD({.learning_rate = 0.1, .momentum = 0.5, .nesterov = true, .clipnorm = 1.0}),
      opt::RMSprop({.rho = 0.8, .momentum = 0.1, .epsilon = 1e-6, .centered = true}),
      opt::Adam({.beta_1 = 0.8, .beta_2 = 0.99, .amsgrad = true, .weight_decay = 0.01}),
      opt::AdamW({.learning_rate = 0.002, .clipvalue = 0.5}),
      opt::Adagrad({.initial_accumulator_value = 0.2, .global_clipnorm = 2.0}),
      opt::Adadelta({.rho = 0.9}),
      opt::Adamax({.beta_2 = 0.95}),
      opt::Nadam({.epsilon = 1e-5, .name = "my_nadam"}),
      opt::Lion({.beta_1 = 0.85}),
  };
  for (const opt::Optimizer& o : all) {
    SCOPED_TRACE(o.impl().class_name());
    TempDir tmp;
    keras::Sequential model({keras::Input({3}), L::Dense(2)});
    model.compile({.optimizer = o, .loss = "mae"});
    model.save(tmp.file("m.keras"));
    keras::Model loaded = keras::load_model(tmp.file("m.keras"));
    EXPECT_EQ(loaded.optimizer().impl().class_name(), o.impl().class_name());
    EXPECT_EQ(keras::config_testing::difference(optimizer_config(loaded.optimizer()),
                                                optimizer_config(o)),
              "");
  }
}

TEST(SaveLoad, CompileConfigKeepsLossesMetricsAndWeights) {
  TempDir tmp;
  auto x = keras::Input({3});
  keras::Model model(x, {L::Dense(2, {.activation = "softmax"})(x), L::Dense(1)(x)});
  model.compile({.optimizer = "adam",
                 .loss = {"categorical_crossentropy", "mse"},
                 .loss_weights = {1.0, 0.5},
                 .metrics = keras::MetricList::per_output({{"accuracy"}, {"mae", "mse"}})});
  model.save(tmp.file("m.keras"));
  const json config = json::parse(read_member(tmp.file("m.keras"), "config.json"));
  const json& compile = config.at("compile_config");
  EXPECT_EQ(compile.at("loss"), json::parse(R"(["categorical_crossentropy", "mse"])"));
  EXPECT_EQ(compile.at("loss_weights"), json::parse("[1.0, 0.5]"));
  EXPECT_EQ(compile.at("metrics"), json::parse(R"([["accuracy"], ["mae", "mse"]])"));
  keras::Model loaded = keras::load_model(tmp.file("m.keras"));
  loaded.save(tmp.file("again.keras"));
  EXPECT_EQ(keras::config_testing::difference(
                json::parse(read_member(tmp.file("again.keras"), "config.json")), config),
            "");
}

// ---- saving errors ----

TEST(SaveErrors, ExtensionMustBeKeras) {
  TempDir tmp;
  keras::Sequential model({keras::Input({3}), L::Dense(2)});
  EXPECT_NE(error_of([&] { model.save(tmp.file("m.zip")); }).find(".keras"), std::string::npos);
  // .h5 is the legacy HDF5 format (tests/saving/legacy_h5_test.cpp).
  EXPECT_EQ(error_of([&] { model.save(tmp.file("m.h5")); }), "");
}

// A user's own layer class, without a config writer: like a Keras custom
// layer without get_config, it cannot be saved.
class Doubler : public keras::LayerImpl {
 public:
  Doubler() : LayerImpl("Doubler", "doubler") {}
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    return {keras::ops::multiply(inputs.at(0), 2.0)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
};

TEST(SaveErrors, FailedSaveLeavesTheOldFileIntact) {
  TempDir tmp;
  const std::string path = tmp.file("m.keras");
  keras::Sequential good({keras::Input({3}), L::Dense(2)});
  good.save(path);
  const std::string before = read_text(path);
  // A layer without a config writer: nothing is written.
  keras::Sequential custom({keras::Input({3}), keras::Layer(std::make_shared<Doubler>())});
  std::string message = error_of([&] { custom.save(path); });
  EXPECT_NE(message.find("Doubler \"doubler\" cannot be saved: kerascpp has no config writer"),
            std::string::npos)
      << message;
  EXPECT_EQ(read_text(path), before);
  // An initializer Keras has no name for fails the same way.
  const keras::initializers::Initializer halves(
      "Halves", {}, [](const keras::Shape& s, keras::DType d) {
        return keras::ops::multiply(keras::Tensor::ones(s, d), 0.5);
      });
  keras::Sequential odd({keras::Input({3}), L::Dense(2, {.kernel_initializer = halves})});
  message = error_of([&] { odd.save(path); });
  EXPECT_NE(message.find("\"Halves\" cannot be written"), std::string::npos) << message;
  EXPECT_EQ(read_text(path), before);
  // A failure after the temporary file is written (a folder stands where the
  // file should go, and rename cannot replace it): the folder is untouched
  // and the temporary file is removed.
  fs::create_directory(tmp.file("d.keras"));
  write_text(tmp.file("d.keras") + "/kept.txt", "kept");
  message = error_of([&] { good.save(tmp.file("d.keras")); });
  EXPECT_NE(message.find("cannot replace the file"), std::string::npos) << message;
  EXPECT_EQ(read_text(tmp.file("d.keras") + "/kept.txt"), "kept");
  // A folder that does not exist.
  EXPECT_NE(error_of([&] { good.save(tmp.file("no/such/dir/m.keras")); }), "");
  EXPECT_EQ(tmp.files(), (std::vector<std::string>{"d.keras", "m.keras"}));
}

}  // namespace
