// The seed sequence tagger in kerascpp, timed as bench/compare/tagger_keras.py
// times it in Keras: training steps per second and batch-1 predict latency.
//
//   tagger_bench [--mask-zero]
//
// Model: Input((50,), int32) -> Embedding(10000, 64) ->
// Bidirectional(LSTM(75, return_sequences=True), merge_mode="ave") ->
// Dense(200) -> TimeDistributed(Dense(6, softmax)), rmsprop,
// categorical_crossentropy, no metrics. Data: ids uniform in [1, 10000), one-hot
// tags, batch 30. Training: fit on 5 warm-up batches, then a timed fit on
// KERASCPP_TAGGER_STEPS batches (default 50). Latency: the median of 200
// predict calls on one sequence after 10 warm-up calls. Prints the line that
// bench/compare/run_tagger_comparison.sh reads:
//   framework=kerascpp train_steps_per_second=<s> predict_latency_ms=<ms> peak_rss_mib=<n> ...
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <keras/keras.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

namespace L = keras::layers;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kVocabulary = 10000, kLength = 50, kTags = 6, kBatch = 30;

keras::Model make_tagger(bool mask_zero) {
  auto tokens = keras::Input({kLength}, {.dtype = "int32"});
  auto h = L::Embedding(kVocabulary, 64, {.mask_zero = mask_zero})(tokens);
  h = L::Bidirectional(L::LSTM(75, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  h = L::Dense(200)(h);
  auto tags = L::TimeDistributed(L::Dense(kTags, {.activation = "softmax"}))(h);
  keras::Model tagger(tokens, tags);
  tagger.compile({.optimizer = "rmsprop", .loss = "categorical_crossentropy"});
  return tagger;
}

struct Batches {
  keras::Tensor x, y;
};

Batches make_data(std::int64_t batches, std::mt19937& rng) {
  const std::int64_t rows = batches * kBatch;
  Batches out{keras::Tensor::zeros({rows, kLength}, keras::DType::int32),
              keras::Tensor::zeros({rows, kLength, kTags})};
  std::uniform_int_distribution<std::int32_t> token(1, kVocabulary - 1);
  std::uniform_int_distribution<std::int64_t> tag(0, kTags - 1);
  auto* x = out.x.data<std::int32_t>();
  auto* y = out.y.data<float>();
  for (std::int64_t i = 0; i < rows * kLength; ++i) {
    x[i] = token(rng);
    y[i * kTags + tag(rng)] = 1.0f;
  }
  return out;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median_predict_seconds(const keras::Model& model, const keras::Tensor& one) {
  const keras::PredictOptions options{.batch_size = 1};
  for (int i = 0; i < 10; ++i) model.predict(one, options);
  std::vector<double> times;
  for (int i = 0; i < 200; ++i) {
    const auto start = Clock::now();
    model.predict(one, options);
    times.push_back(seconds_since(start));
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // kilobytes on Linux
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bool mask_zero = argc > 1 && std::strcmp(argv[1], "--mask-zero") == 0;
    const char* steps_env = std::getenv("KERASCPP_TAGGER_STEPS");
    const std::int64_t steps = steps_env != nullptr ? std::max(1L, std::atol(steps_env)) : 50;

    keras::utils::set_random_seed(0);
    std::mt19937 rng(0);
    keras::Model model = make_tagger(mask_zero);
    keras::FitOptions fit;
    fit.batch_size = kBatch;
    fit.verbose = 0;
    fit.shuffle = false;

    const Batches warmup = make_data(5, rng);
    model.fit(warmup.x, warmup.y, fit);
    const Batches timed = make_data(steps, rng);
    const auto start = Clock::now();
    const keras::History history = model.fit(timed.x, timed.y, fit);
    const double steps_per_second = static_cast<double>(steps) / seconds_since(start);
    // The loss to 7 decimals: a fingerprint that shows whether a speed-up
    // changed the numbers.
    std::fprintf(stderr, "tagger_bench: %ld steps, %.2f steps/s, loss %.7f\n",
                 static_cast<long>(steps), steps_per_second, history.history.at("loss").back());

    const Batches one = make_data(1, rng);
    const keras::Tensor sequence = keras::ops::slice_axis(one.x, 0, 0, 1);
    const double latency = median_predict_seconds(model, sequence);

    std::printf(
        "framework=kerascpp train_steps_per_second=%.3f predict_latency_ms=%.3f "
        "peak_rss_mib=%ld batch_size=%ld seq_len=%ld steps=%ld mask_zero=%d "
        "predict_method=predict\n",
        steps_per_second, 1e3 * latency, peak_rss_mib(), static_cast<long>(kBatch),
        static_cast<long>(kLength), static_cast<long>(steps), mask_zero ? 1 : 0);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tagger_bench: %s\n", e.what());
    return 1;
  }
}
