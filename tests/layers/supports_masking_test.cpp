// Which layers pass a mask on, as Keras 3.15.1's supports_masking.
#include <gtest/gtest.h>

#include "keras/layers.hpp"

namespace keras::layers {
namespace {

TEST(SupportsMasking, MatchesKeras) {
  EXPECT_TRUE(Dense(2).impl().supports_masking());
  EXPECT_TRUE(Activation("relu").impl().supports_masking());
  EXPECT_TRUE(Dropout(0.5).impl().supports_masking());
  EXPECT_TRUE(Rescaling(0.5).impl().supports_masking());
  EXPECT_TRUE(Softmax().impl().supports_masking());
  EXPECT_TRUE(ReLU().impl().supports_masking());
  EXPECT_TRUE(LeakyReLU().impl().supports_masking());
  EXPECT_TRUE(TimeDistributed(Dense(2)).impl().supports_masking());
  EXPECT_TRUE(Concatenate().impl().supports_masking());
  EXPECT_TRUE(Add().impl().supports_masking());
  EXPECT_FALSE(Flatten().impl().supports_masking());
  EXPECT_FALSE(Reshape({3}).impl().supports_masking());
  EXPECT_FALSE(Permute({1}).impl().supports_masking());
  EXPECT_FALSE(RepeatVector(2).impl().supports_masking());
}

TEST(SupportsMasking, SingleInputLayersPassTheMaskUnchanged) {
  const Tensor x = Tensor::zeros(Shape{1, 3, 2});
  const Tensor mask(Shape{1, 3}, std::vector<bool>{true, false, true});
  const auto passed = Dense(4).impl().compute_mask({x}, {mask});
  ASSERT_EQ(passed.size(), 1u);
  ASSERT_TRUE(passed[0].has_value());
  EXPECT_EQ(passed[0]->to_vector<bool>(), mask.to_vector<bool>());
  const auto dropped = Flatten().impl().compute_mask({x}, {mask});
  EXPECT_TRUE(dropped.empty() || !dropped[0].has_value());
}

}  // namespace
}  // namespace keras::layers
