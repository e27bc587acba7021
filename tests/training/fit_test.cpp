// fit / evaluate / train_on_batch behaviour that needs no fixture: learning a
// separable problem, History's keys, callbacks' effects, bad input.
#include <gtest/gtest.h>

#include <sstream>

#include "keras/keras.hpp"

namespace {

namespace L = keras::layers;

// Two Gaussian blobs, labels 0/1, n samples of 4 features.
std::pair<keras::Tensor, keras::Tensor> blobs(std::int64_t n) {
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  std::vector<float> x;
  std::vector<std::int32_t> y;
  for (std::int64_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    for (int f = 0; f < 4; ++f) x.push_back((label ? 1.0f : -1.0f) + noise(rng));
    y.push_back(label);
  }
  return {keras::Tensor({n, 4}, x), keras::Tensor({n}, y)};
}

keras::Sequential classifier() {
  return keras::Sequential({keras::Input({4}), L::Dense(8, {.activation = "relu"}),
                            L::Dense(2, {.activation = "softmax"})});
}

TEST(Fit, LearnsASeparableProblemAndLogsAsKeras) {
  keras::backend::clear_session();
  keras::utils::set_random_seed(1);
  auto [x, y] = blobs(200);
  keras::Sequential model = classifier();
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  keras::History history =
      model.fit(x, y, {.batch_size = 16, .epochs = 20, .verbose = 0, .validation_split = 0.25});
  EXPECT_EQ(history.epoch.size(), 20u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : history.history) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"accuracy", "loss", "val_accuracy", "val_loss"}));
  EXPECT_LT(history["loss"].back(), history["loss"].front());
  EXPECT_GT(history["val_accuracy"].back(), 0.95);
  const std::vector<double> result = model.evaluate(x, y, {.verbose = 0});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_GT(result[1], 0.95);
  EXPECT_EQ(model.optimizer().iterations(), 20 * 10);  // 150 training samples / 16 -> 10 steps
}

TEST(Fit, EarlyStoppingStopsAfterPatience) {
  keras::backend::clear_session();
  auto [x, y] = blobs(64);
  keras::Sequential model = classifier();
  model.compile({.optimizer = keras::optimizers::SGD({.learning_rate = 0.0}),
                 .loss = "sparse_categorical_crossentropy"});
  keras::callbacks::EarlyStopping stopper({.monitor = "loss", .patience = 2});
  keras::History history =
      model.fit(x, y, {.batch_size = 32, .epochs = 50, .verbose = 0, .callbacks = {stopper},
                       .shuffle = false});
  // With a zero learning rate nothing improves: stop after patience epochs.
  EXPECT_EQ(history.epoch.size(), 3u);
}

TEST(Fit, CallbacksSeeEveryEpochAndBatch) {
  keras::backend::clear_session();
  auto [x, y] = blobs(10);
  keras::Sequential model = classifier();
  model.compile({.loss = "sparse_categorical_crossentropy"});
  int epochs = 0, batches = 0;
  keras::callbacks::LambdaCallback counter(
      {.on_epoch_end = [&](int, keras::callbacks::Logs&) { ++epochs; },
       .on_train_batch_end = [&](std::int64_t, keras::callbacks::Logs&) { ++batches; }});
  model.fit(x, y, {.batch_size = 4, .epochs = 3, .verbose = 0, .callbacks = {counter}});
  EXPECT_EQ(epochs, 3);
  EXPECT_EQ(batches, 9);  // 10 samples in batches of 4: the last partial batch is used
}

TEST(Fit, BadInputIsAClearError) {
  keras::backend::clear_session();
  auto [x, y] = blobs(10);
  keras::Sequential model = classifier();
  EXPECT_THROW(model.fit(x, y), keras::Error);  // not compiled
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
  try {
    model.fit(x, y.slice_rows(0, 9), {.verbose = 0});
    FAIL();
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("10"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("9"), std::string::npos) << e.what();
  }
  keras::Tensor bad = x.clone();
  bad.data<float>()[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(model.fit(bad, y, {.verbose = 0}), keras::Error);
  keras::Tensor labels({10}, std::vector<std::int32_t>{0, 1, 0, 1, 7, 1, 0, 1, 0, 1});
  EXPECT_THROW(model.fit(x, labels, {.verbose = 0}), keras::Error);
}

TEST(Fit, ProgressOutputIsKerasVerboseTwo) {
  keras::backend::clear_session();
  auto [x, y] = blobs(10);
  keras::Sequential model = classifier();
  model.compile({.loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  testing::internal::CaptureStdout();
  model.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 2});
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.rfind("Epoch 1/2\n3/3 - ", 0), 0u) << out;
  EXPECT_NE(out.find("/step - accuracy: "), std::string::npos) << out;
  EXPECT_NE(out.find("\nEpoch 2/2\n3/3 - "), std::string::npos) << out;
}

TEST(ToCategorical, OneHotAsKeras) {
  keras::Tensor y = keras::utils::to_categorical(keras::Tensor({3, 1}, std::vector<std::int32_t>{2, 0, 1}));
  EXPECT_EQ(y.shape(), (keras::Shape{3, 3}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{0, 0, 1, 1, 0, 0, 0, 1, 0}));
  EXPECT_THROW(keras::utils::to_categorical(keras::Tensor({1}, std::vector<std::int32_t>{3}), 3),
               keras::Error);
}

}  // namespace
