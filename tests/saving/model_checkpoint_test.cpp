// keras::callbacks::ModelCheckpoint: options checked at construction, the
// file path formatted as Python's str.format, save_best_only, saves every N
// batches, and whole-model or weights-only saves made through a temporary
// file and a rename.
#include <gtest/gtest.h>

#include <sstream>

#include "keras/callbacks.hpp"
#include "keras/error.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
using keras::callbacks::Logs;
using keras::callbacks::ModelCheckpoint;
using keras::saving_testing::TempDir;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "";
}

keras::Sequential tiny_model() { return keras::Sequential({keras::Input({3}), L::Dense(2)}); }

// Captures std::cout while alive.
class CaptureCout {
 public:
  CaptureCout() : old_(std::cout.rdbuf(buffer_.rdbuf())) {}
  ~CaptureCout() { std::cout.rdbuf(old_); }
  std::string text() const { return buffer_.str(); }

 private:
  std::ostringstream buffer_;
  std::streambuf* old_;
};

TEST(ModelCheckpoint, WholeModelPathMustEndInKeras) {
  const std::string e = error_of([] { ModelCheckpoint("m.weights"); });
  EXPECT_NE(e.find("must end in `.keras`"), std::string::npos) << e;
  EXPECT_EQ(error_of([] { ModelCheckpoint("m.keras"); }), "");
  EXPECT_EQ(error_of([] { ModelCheckpoint("m.h5"); }), "");  // the legacy format, as Keras
}

TEST(ModelCheckpoint, WeightsOnlyPathMustEndInWeightsH5) {
  const std::string e = error_of([] { ModelCheckpoint("ckpt.h5", {.save_weights_only = true}); });
  EXPECT_NE(e.find("must end in `.weights.h5`"), std::string::npos) << e;
  EXPECT_EQ(error_of([] { ModelCheckpoint("ckpt.weights.h5", {.save_weights_only = true}); }), "");
}

TEST(ModelCheckpoint, SaveFreqIsEpochOrAPositiveNumberOfBatches) {
  EXPECT_EQ(error_of([] { ModelCheckpoint("c.keras", {.save_freq = "10"}); }), "");
  for (const char* bad : {"batch", "", "-3", "0", "1.5"}) {
    EXPECT_NE(error_of([&] {
                ModelCheckpoint("c.keras", {.save_freq = bad});
              }).find("unrecognized save_freq"),
              std::string::npos)
        << bad;
  }
}

TEST(ModelCheckpoint, FormatsThePathAsPython) {
  using keras::callbacks::format_file_path;
  const Logs logs = {{"loss", 0.123456}, {"val_loss", 1.5}, {"accuracy", 0.875}};
  const std::map<std::string, long> epoch = {{"epoch", 3}};
  EXPECT_EQ(format_file_path("w{epoch}.weights.h5", epoch, logs), "w3.weights.h5");
  EXPECT_EQ(format_file_path("w{epoch:02d}.weights.h5", epoch, logs), "w03.weights.h5");
  EXPECT_EQ(format_file_path("{epoch:03d}-{val_loss:.2f}", epoch, logs), "003-1.50");
  EXPECT_EQ(format_file_path("{loss:.4f}", epoch, logs), "0.1235");
  EXPECT_EQ(format_file_path("{loss:.3e}", epoch, logs), "1.235e-01");
  EXPECT_EQ(format_file_path("{accuracy}", epoch, logs), "0.875");
  EXPECT_EQ(format_file_path("{val_loss}", epoch, logs), "1.5");
  EXPECT_EQ(format_file_path("{{epoch}}", epoch, logs), "{epoch}");
  EXPECT_EQ(format_file_path("{loss:08.3f}", epoch, logs), "0000.123");
  const std::string missing = error_of([&] { format_file_path("{mape:.2f}", epoch, logs); });
  EXPECT_NE(missing.find("Failed to format this callback filepath"), std::string::npos);
  EXPECT_NE(missing.find("mape"), std::string::npos);
  EXPECT_NE(error_of([&] { format_file_path("{loss:d}", epoch, logs); }), "");
  EXPECT_NE(error_of([&] { format_file_path("{loss:x<5}", epoch, logs); }), "");
  ModelCheckpoint c("c_{epoch:02d}_{val_loss:.3f}.weights.h5", {.save_weights_only = true});
  EXPECT_EQ(c.file_path(0, logs), "c_01_1.500.weights.h5");
}

TEST(ModelCheckpoint, SaveBestOnlySavesOnImprovement) {
  TempDir dir;
  auto model = tiny_model();
  ModelCheckpoint c(dir.file("ckpt_{epoch}.weights.h5"),
                    {.verbose = 1, .save_best_only = true, .save_weights_only = true});
  c.set_model(&model);
  CaptureCout out;
  for (const auto& [epoch, val_loss] :
       std::vector<std::pair<int, double>>{{0, 1.0}, {1, 0.5}, {2, 0.7}, {3, 0.5}, {4, 0.25}}) {
    Logs logs = {{"loss", 1.0}, {"val_loss", val_loss}};
    c.on_epoch_end(epoch, logs);
  }
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"ckpt_1.weights.h5", "ckpt_2.weights.h5",
                                                   "ckpt_5.weights.h5"}));
  ASSERT_TRUE(c.best().has_value());
  EXPECT_EQ(*c.best(), 0.25);
  const std::string path1 = dir.file("ckpt_1.weights.h5");
  EXPECT_NE(out.text().find("\nEpoch 1: val_loss improved from None to 1.00000, saving model to " +
                            path1 + "\n"),
            std::string::npos)
      << out.text();
  EXPECT_NE(out.text().find("\nEpoch 1: finished saving model to " + path1 + "\n"),
            std::string::npos);
  EXPECT_NE(out.text().find("\nEpoch 3: val_loss did not improve from 0.50000\n"),
            std::string::npos);
  EXPECT_NE(out.text().find("\nEpoch 4: val_loss did not improve from 0.50000\n"),
            std::string::npos);
}

TEST(ModelCheckpoint, InitialValueThresholdAndModeMax) {
  TempDir dir;
  auto model = tiny_model();
  ModelCheckpoint c(dir.file("best.weights.h5"), {.monitor = "val_accuracy",
                                                  .save_best_only = true,
                                                  .save_weights_only = true,
                                                  .mode = "max",
                                                  .initial_value_threshold = 0.8});
  c.set_model(&model);
  Logs low = {{"val_accuracy", 0.7}};
  c.on_epoch_end(0, low);
  EXPECT_TRUE(dir.files().empty());
  Logs high = {{"val_accuracy", 0.9}};
  c.on_epoch_end(1, high);
  EXPECT_EQ(dir.files(), std::vector<std::string>{"best.weights.h5"});
}

TEST(ModelCheckpoint, EverySaveReplacesTheFileWithTheCurrentWeights) {
  TempDir dir;
  const std::string path = dir.file("sub/last.weights.h5");  // the folder is created
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  keras::Tensor x({4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  keras::Tensor y({4, 2}, {1, 0, 0, 1, 1, 0, 0, 1});
  std::vector<std::vector<keras::Tensor>> weights_at_epoch_end;
  keras::callbacks::LambdaCallback record(
      {.on_epoch_end = [&](int, Logs&) { weights_at_epoch_end.push_back(model.get_weights()); }});
  model.fit(x, y,
            {.batch_size = 2,
             .epochs = 3,
             .verbose = 0,
             .callbacks = {ModelCheckpoint(path, {.monitor = "loss", .save_weights_only = true}),
                           record}});
  ASSERT_EQ(weights_at_epoch_end.size(), 3u);
  auto restored = tiny_model();
  restored.load_weights(path);
  const auto w = restored.get_weights()[0].to_vector<float>();
  const auto last = weights_at_epoch_end.back()[0].to_vector<float>();
  const auto first = weights_at_epoch_end.front()[0].to_vector<float>();
  EXPECT_EQ(w, last);
  EXPECT_NE(w, first);
  // Only the checkpoint: save_weights' temporary files were renamed away.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("sub"))) {
    names.push_back(e.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"last.weights.h5"});
}

// Keras' save_freq=N: a save after every N batches, counted across epochs,
// named with the epoch and the 1-based batch.
TEST(ModelCheckpoint, SavesEveryNBatchesAcrossEpochs) {
  TempDir dir;
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  keras::Tensor x({6, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6});
  keras::Tensor y({6, 2}, {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1});
  // 3 batches an epoch, 2 epochs, a save every 2 batches: after epoch 1's
  // batch 2, epoch 2's batch 1 and epoch 2's batch 3.
  model.fit(x, y,
            {.batch_size = 2,
             .epochs = 2,
             .verbose = 0,
             .callbacks = {ModelCheckpoint(dir.file("c_{epoch}_{batch}.weights.h5"),
                                           {.save_weights_only = true, .save_freq = "2"})},
             .shuffle = false});
  EXPECT_EQ(dir.files(),
            (std::vector<std::string>{"c_1_2.weights.h5", "c_2_1.weights.h5", "c_2_3.weights.h5"}));
}

// save_weights_only=false: each save is a whole .keras model that loads with
// its optimizer and continues training as the saved model would.
TEST(ModelCheckpoint, SavesTheWholeModel) {
  TempDir dir;
  const std::string path = dir.file("model_{epoch}.keras");
  auto model = tiny_model();
  model.compile({.optimizer = "adam", .loss = "mse"});
  keras::Tensor x({4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  keras::Tensor y({4, 2}, {1, 0, 0, 1, 1, 0, 0, 1});
  model.fit(x, y,
            {.batch_size = 2,
             .epochs = 2,
             .verbose = 0,
             .callbacks = {ModelCheckpoint(path, {.monitor = "loss"})},
             .shuffle = false});
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"model_1.keras", "model_2.keras"}));
  keras::Model restored = keras::load_model(dir.file("model_2.keras"));
  EXPECT_EQ(restored.predict(x).to_vector<float>(), model.predict(x).to_vector<float>());
  const keras::FitOptions more = {.batch_size = 2, .epochs = 1, .verbose = 0, .shuffle = false};
  model.fit(x, y, more);
  restored.fit(x, y, more);
  EXPECT_EQ(restored.get_weights()[0].to_vector<float>(),
            model.get_weights()[0].to_vector<float>());
}

}  // namespace
