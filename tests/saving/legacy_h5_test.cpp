// Legacy HDF5 models (model.save("m.h5")): files saved by real Keras 2
// (tf_keras) and Keras 3 (tests/fixtures/legacy_h5, made by
// reference/make_legacy_h5_fixtures.py) load with Keras' predictions, summary
// and optimizer state; kerascpp's own .h5 files have Keras' layout and load
// back unchanged.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/h5_file.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using keras::saving_testing::H5Reader;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

const keras::FitOptions kOneEpoch{.batch_size = 4, .epochs = 1, .verbose = 0, .shuffle = false};
const keras::SummaryOptions kPipe{.line_length = 76, .console_width = 80};

fs::path legacy_case(const std::string& name) {
  return fs::path(KERASCPP_FIXTURES_DIR) / "legacy_h5" / name;
}

std::vector<fs::path> legacy_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(KERASCPP_FIXTURES_DIR) / "legacy_h5")) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string model_file(const fs::path& dir) { return (dir / "model.h5").string(); }

TEST(LegacyH5Fixtures, EveryKindOfModelIsThere) {
  std::vector<std::string> names;
  for (const fs::path& d : legacy_cases()) names.push_back(d.filename().string());
  for (const char* want : {"k2_mlp_sequential", "k2_mlp_functional", "k2_cnn", "k2_tagger",
                           "k2_gru", "k2_batchnorm", "k2_no_input_layer", "k3_tagger",
                           "k3_functional_tagger", "k3_cnn_batchnorm", "k3_adam_continue"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

TEST(LegacyH5Fixtures, PredictAsTheKerasThatSavedThem) {
  for (const fs::path& dir : legacy_cases()) {
    SCOPED_TRACE(dir.filename().string());
    const keras::Model model = keras::load_model(model_file(dir));
    const auto want = numbered_npy(dir, "y_");
    const auto got = model.predict(numbered_npy(dir, "x_"));
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) expect_close(got[i], want[i], 1e-5, "output");
  }
}

TEST(LegacyH5Fixtures, SummaryEqualsKeras3s) {
  int compared = 0;
  for (const fs::path& dir : legacy_cases()) {
    if (!fs::exists(dir / "summary.txt")) continue;
    SCOPED_TRACE(dir.filename().string());
    const keras::Model model = keras::load_model(model_file(dir), {.compile = false});
    EXPECT_EQ(model.summary_string(kPipe), read_text(dir / "summary.txt"));
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

TEST(LegacyH5Fixtures, Keras2ConfigsReadAsKeras2Meant) {
  // Keras <= 2.3: no InputLayer, the first layer's batch_input_shape.
  const keras::Model old = keras::load_model(model_file(legacy_case("k2_no_input_layer")));
  ASSERT_EQ(old.inputs().size(), 1u);
  EXPECT_EQ(old.inputs()[0].shape(), (keras::Shape{keras::None, 3}));
  // tf_keras' Bidirectional(LSTM) config: one inner layer, time_major,
  // implementation; the backward layer is made from the forward one.
  const keras::Model tagger = keras::load_model(model_file(legacy_case("k2_tagger")));
  EXPECT_EQ(tagger.count_params(),
            keras::load_model(model_file(legacy_case("k3_tagger"))).count_params());
}

TEST(LegacyH5Fixtures, CompiledFromTheTrainingConfig) {
  // Keras 3's file: Adam(learning_rate=0.01, beta_1=0.8, amsgrad=True), trained 2 steps.
  const keras::Model k3 = keras::load_model(model_file(legacy_case("k3_adam_continue")));
  const json k3_config = optimizer_config(k3.optimizer());
  EXPECT_EQ(k3_config.at("class_name"), "Adam");
  EXPECT_NEAR(k3_config.at("config").at("learning_rate").get<double>(), 0.01, 1e-9);
  EXPECT_EQ(k3_config.at("config").at("amsgrad"), true);
  EXPECT_EQ(k3.optimizer().iterations(), 2);
  // tf_keras' "Custom>Adam" with jit_compile and is_legacy_optimizer; its
  // state (iteration:0 then the slots, no learning rate) comes back.
  const keras::Model k2 = keras::load_model(model_file(legacy_case("k2_mlp_sequential")));
  EXPECT_EQ(optimizer_config(k2.optimizer()).at("class_name"), "Adam");
  EXPECT_EQ(k2.optimizer().iterations(), 2);
  // The TF 2.x legacy SGD: compiled, but its state (SGD/iter:0, per-variable
  // momentum slots under other names) does not fit: a fresh optimizer.
  const keras::Model sgd = keras::load_model(model_file(legacy_case("k2_mlp_functional")));
  const json sgd_config = optimizer_config(sgd.optimizer());
  EXPECT_EQ(sgd_config.at("class_name"), "SGD");
  EXPECT_NEAR(sgd_config.at("config").at("momentum").get<double>(), 0.9, 1e-6);
  EXPECT_EQ(sgd.optimizer().iterations(), 0);
  // compile=false: no optimizer at all.
  const keras::Model plain =
      keras::load_model(model_file(legacy_case("k2_mlp_sequential")), {.compile = false});
  EXPECT_NE(error_of([&] { plain.optimizer(); }), "");
}

TEST(LegacyH5Fixtures, TrainingContinuesFromTheSavedOptimizerState) {
  int trained = 0;
  for (const fs::path& dir : legacy_cases()) {
    if (!fs::exists(dir / "x_train.npy")) continue;
    SCOPED_TRACE(dir.filename().string());
    const keras::Model model = keras::load_model(model_file(dir));
    model.fit(keras::io::load_npy((dir / "x_train.npy").string()),
              keras::io::load_npy((dir / "y_train.npy").string()), kOneEpoch);
    const auto want = numbered_npy(dir, "weights_after_");
    const auto got = model.get_weights();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) expect_close(got[i], want[i], 1e-5, "weight");
    ++trained;
  }
  EXPECT_GE(trained, 6);
}

// ---- kerascpp's own files ----

keras::Model trained_tagger() {
  auto ids = keras::Input({7}, {.dtype = "int32"});
  auto h = L::Embedding(20, 6, {.mask_zero = true})(ids);
  h = L::Bidirectional(L::LSTM(5, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  h = L::BatchNormalization()(h);
  keras::Model m(ids, L::TimeDistributed(L::Dense(4, {.activation = "softmax"}))(h));
  m.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}),
             .loss = "categorical_crossentropy",
             .metrics = {"accuracy"}});
  const keras::Tensor x = keras::io::load_npy((legacy_case("k3_tagger") / "x_train.npy").string());
  const keras::Tensor y = keras::io::load_npy((legacy_case("k3_tagger") / "y_train.npy").string());
  m.fit(x, y, kOneEpoch);
  return m;
}

TEST(LegacyH5Save, RoundTripKeepsWeightsOptimizerAndSummary) {
  TempDir tmp;
  keras::backend::clear_session();
  const keras::Model model = trained_tagger();
  model.save(tmp.file("tagger.h5"));
  EXPECT_EQ(tmp.files(), std::vector<std::string>{"tagger.h5"});  // no temporary left
  const keras::Model again = keras::load_model(tmp.file("tagger.h5"));
  EXPECT_EQ(again.summary_string(kPipe), model.summary_string(kPipe));
  const auto w0 = model.get_weights(), w1 = again.get_weights();
  ASSERT_EQ(w0.size(), w1.size());
  for (std::size_t i = 0; i < w0.size(); ++i) expect_close(w1[i], w0[i], 0.0, "weight");
  const auto o0 = model.optimizer().variables(), o1 = again.optimizer().variables();
  ASSERT_EQ(o0.size(), o1.size());
  for (std::size_t i = 0; i < o0.size(); ++i) {
    expect_close(keras::ops::cast(o1[i].value(), keras::DType::float32),
                 keras::ops::cast(o0[i].value(), keras::DType::float32), 0.0, o0[i].path());
  }
  // Both train on identically.
  const keras::Tensor x = keras::io::load_npy((legacy_case("k3_tagger") / "x_train.npy").string());
  const keras::Tensor y = keras::io::load_npy((legacy_case("k3_tagger") / "y_train.npy").string());
  model.fit(x, y, kOneEpoch);
  again.fit(x, y, kOneEpoch);
  const auto a = model.get_weights(), b = again.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i) expect_close(b[i], a[i], 1e-6, "trained weight");
}

TEST(LegacyH5Save, WritesKerasLayout) {
  TempDir tmp;
  keras::backend::clear_session();
  keras::Sequential m(
      {keras::Input({3, 2}), L::Dense(16), L::Activation("relu"), L::Flatten(), L::Dense(4)});
  m.compile({.optimizer = "adam", .loss = "mse", .metrics = {"mae"}});
  m.fit(ramp({8, 3, 2}), ramp({8, 4}), kOneEpoch);
  m.save(tmp.file("m.h5"));

  const keras::saving::H5File file = keras::saving::H5File::open(tmp.file("m.h5"), "test");
  auto text = [&](const std::string& path, const std::string& name) {
    const auto v = file.read_strings_attribute(path, name, 1 << 20);
    return v.size() == 1 ? v[0] : std::string("<not one string>");
  };
  EXPECT_EQ(text("/", "keras_version"), "3.15.1");
  EXPECT_EQ(text("/", "backend"), "jax");
  const json config = json::parse(text("/", "model_config"));
  EXPECT_EQ(config.at("class_name"), "Sequential");
  const json& dense = config.at("config").at("layers").at(1);
  EXPECT_EQ(dense.at("class_name"), "Dense");
  EXPECT_FALSE(dense.contains("module"));  // the legacy serialization
  EXPECT_FALSE(dense.contains("build_config"));
  const json training = json::parse(text("/", "training_config"));
  EXPECT_EQ(training.at("loss"), "mean_squared_error");  // Keras 3 cannot read "mse" back
  EXPECT_EQ(training.at("metrics"), json::array({"mae"}));
  EXPECT_EQ(training.at("optimizer_config").at("class_name"), "Adam");
  EXPECT_FALSE(training.contains("optimizer"));

  EXPECT_EQ(file.read_strings_attribute("/model_weights", "layer_names", 1 << 20),
            (std::vector<std::string>{"dense", "activation", "flatten", "dense_1"}));
  EXPECT_EQ(file.read_strings_attribute("/model_weights/dense", "weight_names", 1 << 20),
            (std::vector<std::string>{"sequential/dense/kernel", "sequential/dense/bias"}));
  EXPECT_TRUE(
      file.read_strings_attribute("/model_weights/flatten", "weight_names", 1 << 20).empty());
  H5Reader reader(tmp.file("m.h5"));
  EXPECT_EQ(reader.shape("/model_weights/dense_1/sequential/dense_1/kernel"),
            (std::vector<long long>{48, 4}));
  EXPECT_TRUE(reader.is_group("/model_weights/top_level_model_weights"));
  const auto names = file.read_strings_attribute("/optimizer_weights", "weight_names", 1 << 20);
  ASSERT_EQ(names.size(), 10u);  // iteration, learning_rate, 2 slots x 4 variables
  EXPECT_EQ(names[0], "adam/iteration");
  EXPECT_EQ(reader.dtype("/optimizer_weights/adam/iteration"), "int32");
  for (const std::string& n : names) EXPECT_TRUE(reader.is_dataset("/optimizer_weights/" + n)) << n;
}

TEST(LegacyH5Save, ConvertsBetweenFormats) {
  TempDir tmp;
  // Keras 2's tagger -> .keras -> .h5: the same predictions all the way.
  const fs::path dir = legacy_case("k2_tagger");
  const keras::Model k2 = keras::load_model(model_file(dir));
  k2.save(tmp.file("tagger.keras"));
  keras::load_model(tmp.file("tagger.keras")).save(tmp.file("tagger.h5"));
  const keras::Model back = keras::load_model(tmp.file("tagger.h5"));
  expect_close(back.predict(numbered_npy(dir, "x_"))[0], numbered_npy(dir, "y_")[0], 1e-5,
               "output");
  EXPECT_EQ(back.optimizer().iterations(), 2);
}

TEST(LegacyH5Save, ReplacesAnExistingFileAndFailsCleanly) {
  TempDir tmp;
  keras::Sequential small({keras::Input({3}), L::Dense(2)});
  keras::Sequential big({keras::Input({3}), L::Dense(5), L::Dense(2)});
  small.save(tmp.file("m.h5"));
  big.save(tmp.file("m.h5"));
  EXPECT_EQ(keras::load_model(tmp.file("m.h5")).count_params(), big.count_params());
  const std::string error = error_of([&] { small.save(tmp.file("missing/m.h5")); });
  EXPECT_NE(error.find("missing/m.h5"), std::string::npos) << error;
  EXPECT_EQ(tmp.files(), std::vector<std::string>{"m.h5"});
}

}  // namespace
