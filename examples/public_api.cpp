// DESIGN.md's "Public API" example, as written there (the tagger half waits
// for the sequence layers): build, compile, summary, predict.
#include <keras/keras.hpp>

#include <iostream>

namespace L = keras::layers;

int main() {
  keras::Sequential model({
      keras::Input({3, 2}),
      L::Dense(16),
      L::Activation("relu"),
      L::Flatten(),
      L::Dense(4),
  });
  model.compile({.optimizer = "sgd", .loss = "mean_squared_error"});
  model.summary();                                  // Keras 3's table, to std::cout
  keras::Tensor x({1, 3, 2}, {1, 2, 3, 4, 5, 6});  // shape, then values
  keras::Tensor y = model.predict(x);               // y.shape() == keras::Shape{1, 4}
  if (y.shape() != keras::Shape{1, 4}) return 1;
  std::cout << "predict: " << y.shape().to_string() << "\n";

  // One training step on that sample, as fit does.
  keras::Tensor target({1, 4}, {0, 1, 0, 1});
  keras::History history = model.fit(x, target, {.epochs = 2, .verbose = 0});
  std::cout << "loss after 2 epochs: " << history["loss"].back() << "\n";
  return 0;
}
