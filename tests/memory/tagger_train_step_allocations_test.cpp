// The seed tagger's warm training step (Embedding with and without a mask,
// Bidirectional LSTM, TimeDistributed Dense, per-timestep crossentropy,
// RMSprop) allocates nothing either: fit over 2N batches makes exactly as
// many operator new calls as fit over N.
#include <gtest/gtest.h>

#include "keras/keras.hpp"
#include "memory/allocation_counter_testing.hpp"

namespace {

namespace L = keras::layers;
using keras::testing::kPoolsOn;
using keras::testing::warm_train_steps_make_no_operator_new;

constexpr std::int64_t kLength = 12, kTags = 5, kVocabulary = 50, kBatch = 6;

// bench/tagger_bench.cpp's make_tagger at test sizes, with an accuracy metric.
keras::Model make_tagger(bool mask_zero) {
  auto tokens = keras::Input({kLength}, {.dtype = "int32"});
  auto h = L::Embedding(kVocabulary, 8, {.mask_zero = mask_zero})(tokens);
  h = L::Bidirectional(L::LSTM(7, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  h = L::Dense(9)(h);
  auto tags = L::TimeDistributed(L::Dense(kTags, {.activation = "softmax"}))(h);
  keras::Model tagger(tokens, tags);
  tagger.compile(
      {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  return tagger;
}

std::pair<keras::Tensor, keras::Tensor> tagger_data(std::int64_t rows) {
  keras::Tensor x = keras::Tensor::zeros({rows, kLength}, keras::DType::int32);
  keras::Tensor y = keras::Tensor::zeros({rows, kLength, kTags});
  for (std::int64_t i = 0; i < rows; ++i) {
    // Rows padded with zeros at different lengths, for the mask.
    for (std::int64_t t = 0; t < kLength - i % 4; ++t) {
      x.data<std::int32_t>()[i * kLength + t] = static_cast<std::int32_t>(1 + (i * 7 + t) % 49);
    }
    for (std::int64_t t = 0; t < kLength; ++t)
      y.data<float>()[(i * kLength + t) * kTags + t % kTags] = 1;
  }
  return {x, y};
}

class TaggerTrainStepAllocations : public ::testing::TestWithParam<bool> {};

TEST_P(TaggerTrainStepAllocations, MoreStepsMakeNoMoreOperatorNew) {
  if (!kPoolsOn) GTEST_SKIP() << "the pools are off under AddressSanitizer";
  EXPECT_TRUE(warm_train_steps_make_no_operator_new(make_tagger(GetParam()), tagger_data, kBatch));
}

INSTANTIATE_TEST_SUITE_P(MaskZero, TaggerTrainStepAllocations, ::testing::Values(false, true));

}  // namespace
