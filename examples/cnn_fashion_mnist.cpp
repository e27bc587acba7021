// A convolutional network on Fashion-MNIST, as Keras' "simple convnet"
// example writes it: Conv2D(32, 3, relu) -> MaxPooling2D -> Conv2D(64, 3,
// relu) -> MaxPooling2D -> Flatten -> Dropout(0.5) -> Dense(10, softmax),
// Adam, batch 128, 5 epochs. The images stay uint8 in memory and are scaled
// to [0, 1] by the model's first layer, Rescaling(1/255).
//
//   cnn_fashion_mnist [EPOCHS] [DATA_DIR]
//
// Prints the summary, Keras' progress bar, the test accuracy and one
// machine-readable line. Keras 3.15.1 (JAX) itself reaches 88.3% test accuracy
// with this model in 5 epochs (kerascpp: 88.0%; both about 90.4% after 15), so
// the program exits with 1 below 87% after 5 or more epochs, or below 80%
// after fewer. Needs the Debian package dataset-fashion-mnist (or DATA_DIR).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <keras/keras.hpp>
#include <string>
#include <vector>

namespace L = keras::layers;

namespace {

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

// (n, 28, 28) uint8 images as (n, 28, 28, 1): a view, no copy.
keras::Tensor with_channel_axis(const keras::Tensor& images) {
  const keras::Shape& s = images.shape();
  return images.reshape(keras::Shape{s[0], s[1], s[2], 1});
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
  if (epochs <= 0) {
    std::fprintf(stderr, "usage: cnn_fashion_mnist [EPOCHS] [DATA_DIR]\n");
    return 2;
  }
  try {
    auto [train, test] = argc > 2 ? keras::datasets::fashion_mnist::load_data(argv[2])
                                  : keras::datasets::fashion_mnist::load_data();
    const keras::Tensor x_train = with_channel_axis(train.first);
    const keras::Tensor x_test = with_channel_axis(test.first);

    keras::utils::set_random_seed(42);
    keras::Sequential model = make_cnn();
    model.compile(
        {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    model.summary();

    const auto start = std::chrono::steady_clock::now();
    model.fit(x_train, train.second, {.batch_size = 128, .epochs = epochs});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::vector<double> result = model.evaluate(x_test, test.second, {.batch_size = 128});
    const double accuracy = result.at(1);
    std::printf("Test accuracy: %.4f\n", accuracy);
    std::printf("cnn_fashion_mnist: epochs=%d seconds_per_epoch=%.3f test_accuracy=%.4f\n", epochs,
                seconds / epochs, accuracy);
    const double expected = epochs >= 5 ? 0.87 : 0.80;
    if (accuracy < expected) {
      std::fprintf(stderr, "cnn_fashion_mnist: test accuracy %.4f is below %.2f\n", accuracy,
                   expected);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cnn_fashion_mnist: %s\n", e.what());
    return 1;
  }
}
