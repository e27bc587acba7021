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
using keras::testing::warm_train_steps_make_no_operator_new;

keras::Sequential make_mlp(const std::string& optimizer) {
  keras::Sequential model({
      keras::Input({784}),
      L::Dense(512, {.activation = "relu"}),
      L::Dense(256, {.activation = "relu"}),
      L::Dense(10, {.activation = "softmax"}),
  });
  model.compile(
      {.optimizer = optimizer, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  return model;
}

std::pair<keras::Tensor, keras::Tensor> mlp_data(std::int64_t rows) {
  return {keras::Tensor::full({rows, 784}, 0.5), keras::Tensor::zeros({rows}, keras::DType::int32)};
}

class TrainStepAllocations : public ::testing::TestWithParam<std::string> {};

TEST_P(TrainStepAllocations, MoreStepsMakeNoMoreOperatorNew) {
  if (!kPoolsOn) GTEST_SKIP() << "the pools are off under AddressSanitizer";
  EXPECT_TRUE(warm_train_steps_make_no_operator_new(make_mlp(GetParam()), mlp_data, 32));
}

INSTANTIATE_TEST_SUITE_P(Optimizers, TrainStepAllocations,
                         ::testing::Values("adam", "sgd", "rmsprop"));

}  // namespace
