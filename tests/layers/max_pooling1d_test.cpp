// MaxPooling1D: windows over the steps axis, both data formats.
#include "keras/layers/max_pooling1d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(MaxPooling1D, DefaultsAndValues) {
  backend::clear_session();
  const MaxPooling1D pool;
  EXPECT_EQ(pool.name(), "max_pooling1d");
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 9, 3}), (Shape{None, 4, 3}));
  EXPECT_EQ(pool(Tensor({1, 5, 1}, {1, 3, 2, -1, 7})).to_vector<float>(),
            (std::vector<float>{3, 2}));
}

TEST(MaxPooling1D, SameStridesAndChannelsFirst) {
  const MaxPooling1D same({.pool_size = 3, .strides = IntTuple(2), .padding = "same"});
  EXPECT_EQ(same.compute_output_shape(Shape{None, 10, 3}), (Shape{None, 5, 3}));
  const MaxPooling1D first(
      {.pool_size = 2, .strides = IntTuple(1), .data_format = "channels_first"});
  // (batch, channels=2, steps=3)
  EXPECT_EQ(first(Tensor({1, 2, 3}, {1, 5, 2, 0, -1, 4})).to_vector<float>(),
            (std::vector<float>{5, 5, 0, 4}));
  EXPECT_THROW(MaxPooling1D({.pool_size = {2, 2}}), Error);
  EXPECT_THROW(MaxPooling1D().compute_output_shape(Shape{None, 4, 4, 1}), Error);
}

}  // namespace
}  // namespace keras::layers
