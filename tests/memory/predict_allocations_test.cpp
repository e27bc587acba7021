// A warm predict allocates nothing but its output tensor: this executable
// counts every operator new (allocation_counter_testing.cpp) around predict calls.
// Tensor storage comes from the size-keyed pool (backend/allocator), tensor
// handles from the small-object pool, the runner's bookkeeping from buffers
// each model keeps between runs.
#include <gtest/gtest.h>

#include <vector>

#include "backend/allocator.hpp"
#include "keras/keras.hpp"
#include "memory/allocation_counter_testing.hpp"

namespace {

using keras::testing::kPoolsOn;
using keras::testing::news_during;

keras::Sequential make_mlp() {
  namespace L = keras::layers;
  return keras::Sequential({
      keras::Input({784}),
      L::Dense(512, {.activation = "relu"}),
      L::Dense(256, {.activation = "relu"}),
      L::Dense(10),
  });
}

TEST(PredictAllocations, WarmMlpPredictCallsNoOperatorNew) {
  if (!kPoolsOn) GTEST_SKIP() << "the pools are off under AddressSanitizer";
  keras::Sequential model = make_mlp();
  for (std::int64_t batch : {1, 256}) {
    const keras::Tensor x = keras::Tensor::full({batch, 784}, 0.5);
    const keras::PredictOptions options{.batch_size = batch};
    for (int i = 0; i < 3; ++i) model.predict(x, options);  // warm-up
    const auto stats_before = keras::backend::allocator_stats();
    keras::Shape last;
    const std::uint64_t news = news_during([&] {
      for (int i = 0; i < 5; ++i) last = model.predict(x, options).shape();
    });
    EXPECT_EQ(last, keras::Shape({batch, 10}));
    EXPECT_EQ(news, 0u) << "batch " << batch;
    EXPECT_EQ(keras::backend::allocator_stats().system_bytes, stats_before.system_bytes)
        << "batch " << batch;
  }
}

TEST(PredictAllocations, SeveralBatchesWriteIntoOneOutputWithoutBookkeeping) {
  if (!kPoolsOn) GTEST_SKIP() << "the pools are off under AddressSanitizer";
  keras::Sequential model = make_mlp();
  const keras::Tensor x = keras::Tensor::full({70, 784}, 0.25);
  const keras::PredictOptions options{.batch_size = 32};  // 32 + 32 + 6 rows
  const keras::Tensor first = model.predict(x, options);
  for (int i = 0; i < 2; ++i) model.predict(x, options);
  keras::Tensor y;
  const std::uint64_t news = news_during([&] { y = model.predict(x, options); });
  EXPECT_EQ(news, 0u);
  ASSERT_EQ(y.shape(), keras::Shape({70, 10}));
  // The batches land in the right rows: every row saw the same input (the
  // GEMM of a 6-row batch may round differently from a 32-row one).
  const float* p = y.data<float>();
  for (int r = 0; r < 70; ++r) {
    for (int c = 0; c < 10; ++c) ASSERT_NEAR(p[r * 10 + c], first.data<float>()[c], 1e-5);
  }
}

TEST(PredictAllocations, TheCounterSeesAllocations) {
  // The replacement below is live: a vector's growth is counted.
  const std::uint64_t news = news_during([] {
    std::vector<int> v(1000, 1);
    ASSERT_EQ(v.size(), 1000u);
  });
  EXPECT_GE(news, 1u);
}

}  // namespace
