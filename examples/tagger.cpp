// The seed sequence tagger: Embedding -> Bidirectional(LSTM) -> Dense ->
// TimeDistributed(Dense), learning a tagging task that needs to read each
// sentence in both directions, next to a one-directional LSTM of about the
// same size that cannot.
//
// The task. Sentences of 10 to 50 tokens, padded with 0 to 50 (index 0 is
// padding: Embedding(mask_zero=True) masks it, so padding counts in neither
// the loss nor the accuracy). Tokens 1 to 4 are "brackets"; every token has
// a class, its index modulo 3. A token's tag is
//     2 * class + (a bracket occurs before it AND a bracket occurs after it)
// so 6 tags. Whether a bracket comes later is only known to a reader going
// backwards: the one-directional model has to guess it.
//
// Prints both models' masked per-token accuracy on held-out sentences and
// exits with 1 unless the bidirectional tagger reaches 97% and beats the
// one-directional model by at least 3 points.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <keras/keras.hpp>
#include <random>
#include <vector>

namespace L = keras::layers;

namespace {

constexpr std::int64_t kVocabulary = 200;  // the seed's 10000, made small to train fast
constexpr std::int64_t kLength = 50;
constexpr std::int64_t kTags = 6;
constexpr std::int32_t kBrackets = 4;  // tokens 1..4

struct Dataset {
  keras::Tensor tokens;  // (n, 50) int32, 0 = padding
  keras::Tensor tags;    // (n, 50, 6) one-hot (padding gets tag 0, masked anyway)
};

Dataset make_sentences(std::int64_t n, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> length(10, kLength);
  std::uniform_int_distribution<std::int32_t> word(kBrackets + 1,
                                                   static_cast<std::int32_t>(kVocabulary - 1));
  std::uniform_int_distribution<std::int32_t> bracket(1, kBrackets);
  std::uniform_int_distribution<int> bracket_count(0, 3);
  std::vector<std::int32_t> tokens(static_cast<std::size_t>(n * kLength), 0);
  std::vector<std::int32_t> tags(tokens.size(), 0);
  for (std::int64_t s = 0; s < n; ++s) {
    const std::int64_t len = length(rng);
    std::int32_t* row = tokens.data() + s * kLength;
    for (std::int64_t t = 0; t < len; ++t) row[t] = word(rng);
    std::uniform_int_distribution<std::int64_t> where(0, len - 1);
    for (int b = bracket_count(rng); b > 0; --b) row[where(rng)] = bracket(rng);
    // Tags: class, plus "between two brackets" (one before and one after).
    std::int64_t first = len, last = -1;
    for (std::int64_t t = 0; t < len; ++t) {
      if (row[t] <= kBrackets) {
        first = std::min(first, t);
        last = t;
      }
    }
    for (std::int64_t t = 0; t < len; ++t) {
      const bool between = first < t && t < last;
      tags[static_cast<std::size_t>(s * kLength + t)] = 2 * (row[t] % 3) + (between ? 1 : 0);
    }
  }
  const keras::Tensor labels(keras::Shape{n, kLength}, tags);
  return {keras::Tensor(keras::Shape{n, kLength}, tokens), keras::ops::one_hot(labels, kTags)};
}

// Accuracy over the real (non-padding) tokens only, computed by hand from predict.
double masked_accuracy(keras::Model& model, const Dataset& data) {
  const keras::Tensor predicted = keras::ops::argmax(model.predict(data.tokens), -1);
  const keras::Tensor truth = keras::ops::argmax(data.tags, -1);
  const std::vector<std::int64_t> p = predicted.to_vector<std::int64_t>();
  const std::vector<std::int64_t> y = truth.to_vector<std::int64_t>();
  const std::vector<std::int32_t> x = data.tokens.to_vector<std::int32_t>();
  std::int64_t real = 0, right = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0) continue;
    ++real;
    right += p[i] == y[i] ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(real);
}

// The seed's tagger; `bidirectional` false swaps its recurrent layer for a
// one-directional LSTM(110), which makes a model with exactly as many
// parameters (113,206: LSTM(110) has 77,000, Bidirectional(LSTM(75)) 84,000,
// and the Dense after it 7,000 more).
keras::Model make_tagger(bool bidirectional) {
  auto tokens = keras::Input({kLength}, {.dtype = "int32"});
  auto h = L::Embedding(kVocabulary, 64, {.mask_zero = true})(tokens);
  if (bidirectional) {
    h = L::Bidirectional(L::LSTM(75, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  } else {
    h = L::LSTM(110, {.return_sequences = true})(h);
  }
  h = L::Dense(200)(h);
  auto tags = L::TimeDistributed(L::Dense(kTags, {.activation = "softmax"}))(h);
  keras::Model tagger(tokens, tags);
  tagger.compile(
      {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  return tagger;
}

double train_and_test(bool bidirectional, const Dataset& train, const Dataset& test) {
  keras::utils::set_random_seed(7);
  keras::Model tagger = make_tagger(bidirectional);
  if (bidirectional) tagger.summary();
  std::cout << (bidirectional ? "Bidirectional(LSTM(75))" : "LSTM(110)") << ", "
            << tagger.count_params() << " parameters:\n";
  tagger.fit(train.tokens, train.tags,
             {.batch_size = 30, .epochs = 5, .verbose = 2, .validation_split = 0.1});
  return masked_accuracy(tagger, test);
}

}  // namespace

int main() {
  std::mt19937 rng(2024);
  const Dataset train = make_sentences(2400, rng);
  const Dataset test = make_sentences(600, rng);

  const double bidirectional = train_and_test(true, train, test);
  const double forward_only = train_and_test(false, train, test);
  std::cout << "held-out accuracy over real tokens: bidirectional " << bidirectional
            << ", one-directional " << forward_only << "\n";

  bool ok = true;
  if (bidirectional < 0.97) {
    std::cout << "FAIL: the bidirectional tagger should reach 0.97.\n";
    ok = false;
  }
  if (forward_only > bidirectional - 0.03) {
    std::cout << "FAIL: the one-directional LSTM should do at least 3 points worse.\n";
    ok = false;
  }
  return ok ? 0 : 1;
}
