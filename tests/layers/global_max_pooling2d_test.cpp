// GlobalMaxPooling2D: the maximum over height and width, keepdims, both
// data formats.
#include "keras/layers/global_max_pooling2d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

const Tensor kX({1, 2, 2, 2}, {1, 40, 2, 20, 3, 30, 4, 10});

TEST(GlobalMaxPooling2D, MaxPerChannel) {
  backend::clear_session();
  const GlobalMaxPooling2D pool;
  EXPECT_EQ(pool.name(), "global_max_pooling2d");
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 5, 6, 3}), (Shape{None, 3}));
  EXPECT_EQ(pool(kX).to_vector<float>(), (std::vector<float>{4, 40}));
}

TEST(GlobalMaxPooling2D, KeepdimsAndChannelsFirst) {
  EXPECT_EQ(GlobalMaxPooling2D({.keepdims = true})(kX).shape(), (Shape{1, 1, 1, 2}));
  const GlobalMaxPooling2D first({.data_format = "channels_first"});
  EXPECT_EQ(first(kX).to_vector<float>(), (std::vector<float>{40, 30}));
  EXPECT_THROW(GlobalMaxPooling2D({.data_format = "last"}), Error);
}

}  // namespace
}  // namespace keras::layers
