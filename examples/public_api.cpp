// DESIGN.md's "Public API" example, as written there: build, compile,
// summary, predict; then the sequence tagger, trained briefly on random
// tokens. (model.save / keras::load_model do not exist yet: the tagger goes
// through save_weights / load_weights instead.)
#include <keras/keras.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <random>
#include <vector>

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

  // Random sentences of 50 tokens with random tags, to show the calls.
  std::mt19937 rng(1);
  std::uniform_int_distribution<std::int32_t> token(0, 9999), tag(0, 5);
  std::vector<std::int32_t> words(60 * 50), labels(60 * 50);
  for (auto& w : words) w = token(rng);
  for (auto& l : labels) l = tag(rng);
  keras::Tensor x_train({60, 50}, words);
  keras::Tensor y_train = keras::ops::one_hot(keras::Tensor({60, 50}, labels), 6);

  auto build_tagger = [] {
    auto tokens = keras::Input({50}, {.dtype = "int32"});
    auto h = L::Embedding(10000, 64)(tokens);
    h = L::Bidirectional(L::LSTM(75, {.return_sequences = true}), {.merge_mode = "ave"})(h);
    h = L::Dense(200)(h);
    auto tags = L::TimeDistributed(L::Dense(6, {.activation = "softmax"}))(h);
    return keras::Model(tokens, tags);
  };
  keras::Model tagger = build_tagger();
  tagger.compile({.optimizer = "rmsprop", .loss = "categorical_crossentropy",
                  .metrics = {"accuracy"}});
  tagger.summary();
  keras::History hist = tagger.fit(x_train, y_train, {.batch_size = 30, .epochs = 5,
                                                      .validation_split = 0.1});
  if (tagger.count_params() != 740406) return 1;  // as Keras counts it
  keras::Tensor predicted = tagger.predict(x_train);
  if (predicted.shape() != keras::Shape{60, 50, 6}) return 1;
  std::cout << "tagger loss after 5 epochs: " << hist["loss"].back() << "\n";

  // The weights in Keras 3's .weights.h5 layout, read back into a new tagger.
  tagger.save_weights("tagger.weights.h5");
  keras::Model again = build_tagger();
  again.load_weights("tagger.weights.h5");
  std::remove("tagger.weights.h5");
  const std::vector<float> a = predicted.to_vector<float>();
  const std::vector<float> b = again.predict(x_train).to_vector<float>();
  if (a != b) return 1;
  std::cout << "reloaded tagger predicts the same\n";
  return 0;
}
