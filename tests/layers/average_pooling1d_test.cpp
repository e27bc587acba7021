// AveragePooling1D: pool_size required; "same" averages only real steps.
#include "keras/layers/average_pooling1d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(AveragePooling1D, ValidAndSame) {
  backend::clear_session();
  const AveragePooling1D valid(2);
  EXPECT_EQ(valid.name(), "average_pooling1d");
  EXPECT_EQ(valid(Tensor({1, 5, 1}, {1, 3, 2, 6, 7})).to_vector<float>(),
            (std::vector<float>{2, 4}));
  const AveragePooling1D same(2, {.padding = "same"});
  EXPECT_EQ(same(Tensor({1, 5, 1}, {1, 3, 2, 6, 7})).to_vector<float>(),
            (std::vector<float>{2, 4, 7}));
}

TEST(AveragePooling1D, ChannelsFirstAndErrors) {
  const AveragePooling1D pool(
      4, {.strides = IntTuple(3), .padding = "same", .data_format = "channels_first"});
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 3, 8}), (Shape{None, 3, 3}));
  EXPECT_THROW(AveragePooling1D(0), Error);
  EXPECT_THROW(AveragePooling1D(2, {.padding = "causal"}), Error);
}

}  // namespace
}  // namespace keras::layers
