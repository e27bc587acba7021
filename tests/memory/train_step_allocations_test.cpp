// A warm training step allocates nothing (the training issue): fit over 2N
// batches makes exactly as many operator new calls as fit over N batches, so
// each step after the first adds none. Storage comes from the size-keyed pool,
// the tape's records, gradients and bookkeeping from buffers kept between steps.
#include <gtest/gtest.h>

#include <string>

#include "keras/keras.hpp"
#include "memory/allocation_counter_testing.hpp"

namespace {

namespace L = keras::layers;
using keras::testing::kPoolsOn;
using keras::testing::news_during;

keras::Sequential make_mlp(const std::string& optimizer) {
  keras::Sequential model({
      keras::Input({784}),
      L::Dense(512, {.activation = "relu"}),
      L::Dense(256, {.activation = "relu"}),
      L::Dense(10, {.activation = "softmax"}),
  });
  model.compile({.optimizer = optimizer,
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  return model;
}

std::uint64_t news_in_fit(const keras::Sequential& model, std::int64_t batches) {
  constexpr std::int64_t kBatch = 32;
  const keras::Tensor x = keras::Tensor::full({batches * kBatch, 784}, 0.5);
  const keras::Tensor y = keras::Tensor::zeros({batches * kBatch}, keras::DType::int32);
  keras::FitOptions options;
  options.batch_size = kBatch;
  options.verbose = 0;
  options.shuffle = false;
  return news_during([&] { model.fit(x, y, options); });
}

class TrainStepAllocations : public ::testing::TestWithParam<std::string> {};

TEST_P(TrainStepAllocations, MoreStepsMakeNoMoreOperatorNew) {
  if (!kPoolsOn) GTEST_SKIP() << "the pools are off under AddressSanitizer";
  const keras::Sequential model = make_mlp(GetParam());
  // Builds the optimizer, sizes the pools and the tape's tables, and makes
  // what each process makes once (OpenMP's and OpenBLAS' threads, ...).
  news_in_fit(model, 3);
  news_in_fit(model, 3);
  const std::uint64_t few = news_in_fit(model, 4);
  const std::uint64_t many = news_in_fit(model, 8);
  EXPECT_EQ(many, few) << (static_cast<double>(many) - static_cast<double>(few)) / 4.0
                       << " operator new per warm step";
}

INSTANTIATE_TEST_SUITE_P(Optimizers, TrainStepAllocations,
                         ::testing::Values("adam", "sgd", "rmsprop"));

}  // namespace
