// GlobalAveragePooling2D: the mean over height and width, keepdims, both
// data formats.
#include "keras/layers/global_average_pooling2d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

const Tensor kX({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});  // (batch, h, w, channels)

TEST(GlobalAveragePooling2D, MeanPerChannel) {
  backend::clear_session();
  const GlobalAveragePooling2D pool;
  EXPECT_EQ(pool.name(), "global_average_pooling2d");
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 5, 6, 3}), (Shape{None, 3}));
  EXPECT_EQ(pool(kX).to_vector<float>(), (std::vector<float>{2.5f, 25}));
}

TEST(GlobalAveragePooling2D, KeepdimsAndChannelsFirst) {
  const GlobalAveragePooling2D keep({.keepdims = true});
  EXPECT_EQ(keep(kX).shape(), (Shape{1, 1, 1, 2}));
  const GlobalAveragePooling2D first({.data_format = "channels_first", .keepdims = true});
  EXPECT_EQ(first.compute_output_shape(Shape{None, 3, 5, 6}), (Shape{None, 3, 1, 1}));
  // Seen as channels_first, kX is (batch, channels=2, 2, 2).
  EXPECT_EQ(first(kX).to_vector<float>(), (std::vector<float>{8.25f, 19.25f}));
  EXPECT_THROW(GlobalAveragePooling2D().compute_output_shape(Shape{None, 4, 3}), Error);
}

}  // namespace
}  // namespace keras::layers
