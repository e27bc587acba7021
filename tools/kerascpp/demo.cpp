#include "demo.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <keras/keras.hpp>

namespace kerascpp_tool {

namespace {

namespace L = keras::layers;

// The reference MLP: the images stay uint8 in memory and are rescaled
// inside the model, as Keras users do with Rescaling(1/255).
keras::Sequential make_mlp() {
  return keras::Sequential({
      keras::Input({28, 28}),
      L::Flatten(),
      L::Rescaling(1.0 / 255),
      L::Dense(512, {.activation = "relu"}),
      L::Dense(256, {.activation = "relu"}),
      L::Dense(10, {.activation = "softmax"}),
  });
}

// The CNN (Keras' "simple convnet"), images rescaled inside the model
// as the MLP's are; inputs get a channel axis: (n, 28, 28) -> (n, 28, 28, 1).
keras::Sequential make_cnn() {
  return keras::Sequential({
      keras::Input({28, 28, 1}),
      L::Rescaling(1.0 / 255),
      L::Conv2D(32, 3, {.activation = "relu"}),
      L::MaxPooling2D(),
      L::Conv2D(64, 3, {.activation = "relu"}),
      L::MaxPooling2D(),
      L::Flatten(),
      L::Dropout(0.5),
      L::Dense(10, {.activation = "softmax"}),
  });
}

keras::Tensor with_channel_axis(const keras::Tensor& images) {
  const keras::Shape& s = images.shape();
  return images.reshape(keras::Shape{s[0], s[1], s[2], 1});
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // Linux reports KiB
}

}  // namespace

int run_demo(const DemoOptions& o) {
  if (o.model != "mlp" && o.model != "cnn") {
    throw keras::Error("demo: unknown model \"" + o.model + "\"; available: mlp, cnn.");
  }
  auto [train, test] = o.data_dir.empty() ? keras::datasets::fashion_mnist::load_data()
                                          : keras::datasets::fashion_mnist::load_data(o.data_dir);
  auto [x_train, y_train] = train;
  auto [x_test, y_test] = test;

  keras::utils::set_random_seed(42);
  const bool cnn = o.model == "cnn";
  if (cnn) {
    x_train = with_channel_axis(x_train);
    x_test = with_channel_axis(x_test);
  }
  keras::Sequential model = cnn ? make_cnn() : make_mlp();
  model.compile({.optimizer = "adam",
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  model.summary();

  std::vector<double> epoch_seconds;
  std::chrono::steady_clock::time_point epoch_start;
  keras::callbacks::LambdaCallback timer({
      .on_epoch_begin = [&](int, keras::callbacks::Logs&) {
        epoch_start = std::chrono::steady_clock::now();
      },
      .on_epoch_end = [&](int, keras::callbacks::Logs&) {
        epoch_seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count());
      },
  });
  model.fit(x_train, y_train,
            {.batch_size = o.batch_size, .epochs = o.epochs, .verbose = o.verbose,
             .callbacks = {timer}});
  const std::vector<double> result =
      model.evaluate(x_test, y_test, {.batch_size = o.batch_size, .verbose = o.verbose});
  std::printf("Test accuracy: %.4f\n", result.at(1));
  std::printf("demo: model=%s epochs=%d seconds_per_epoch=%.3f test_accuracy=%.4f peak_rss_mib=%ld\n",
              o.model.c_str(), o.epochs, median(epoch_seconds), result.at(1), peak_rss_mib());
  return 0;
}

}  // namespace kerascpp_tool
