// AveragePooling2D: pool_size is required (as in Keras 3.15); "same" windows
// average only the values inside the input, as Keras does.
#include "keras/layers/average_pooling2d.hpp"

#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(AveragePooling2D, Valid) {
  backend::clear_session();
  const AveragePooling2D pool(2);
  EXPECT_EQ(pool.name(), "average_pooling2d");
  const Tensor x({1, 2, 4, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(pool(x).to_vector<float>(), (std::vector<float>{3.5f, 5.5f}));
}

TEST(AveragePooling2D, SameLeavesPaddingOutOfTheCount) {
  const AveragePooling2D pool(2, {.padding = "same"});
  const Tensor x({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(pool.compute_output_shape(x.shape()), (Shape{1, 2, 2, 1}));
  // Last row and column: windows of 2 and 1 values, not divided by 4.
  EXPECT_EQ(pool(x).to_vector<float>(), (std::vector<float>{3, 4.5f, 7.5f, 9}));
}

TEST(AveragePooling2D, GradientSpreadsOverEachWindow) {
  const AveragePooling2D pool({2, 1}, {.strides = IntTuple{1, 1}});
  const Tensor x({1, 3, 1, 1}, {1, 2, 3});
  GradientTape tape;
  tape.watch(x);
  const Tensor g = tape.gradient(ops::sum(pool(x)), {x})[0];
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{0.5f, 1, 0.5f}));
}

TEST(AveragePooling2D, ChannelsFirstAndErrors) {
  EXPECT_EQ(
      AveragePooling2D(
          {2, 3}, {.strides = IntTuple{1, 2}, .padding = "same", .data_format = "channels_first"})
          .compute_output_shape(Shape{None, 3, 6, 7}),
      (Shape{None, 3, 6, 4}));
  EXPECT_THROW(AveragePooling2D({2, 2, 2}), Error);
  EXPECT_THROW(AveragePooling2D(2, {.data_format = "NCHW"}), Error);
}

}  // namespace
}  // namespace keras::layers
