// DepthwiseConv2D: one filter set per input channel, channel order
// c * depth_multiplier + j, weights and errors. (Numbers against real Keras:
// tests/conv.)
#include "keras/layers/depthwise_conv2d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

TEST(DepthwiseConv2D, ShapesAndWeights) {
  backend::clear_session();
  const DepthwiseConv2D conv({3, 2}, {.strides = 2, .padding = "same", .depth_multiplier = 2});
  EXPECT_EQ(conv.name(), "depthwise_conv2d");
  EXPECT_EQ(conv.compute_output_shape(Shape{None, 7, 8, 3}), (Shape{None, 4, 4, 6}));
  conv.impl().maybe_build({Shape{None, 7, 8, 3}});
  ASSERT_EQ(conv.weights().size(), 2u);
  EXPECT_EQ(conv.weights()[0].name(), "kernel");
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 2, 3, 2}));
  EXPECT_EQ(conv.weights()[1].shape(), (Shape{6}));
  EXPECT_EQ(conv.count_params(), 3 * 2 * 3 * 2 + 6);
}

TEST(DepthwiseConv2D, EachChannelHasItsOwnFilters) {
  // 1x1 kernel, 2 channels, multiplier 2: output (c0*w00, c0*w01, c1*w10, c1*w11).
  const DepthwiseConv2D conv(1, {.depth_multiplier = 2, .use_bias = false});
  conv.impl().maybe_build({Shape{None, 1, 1, 2}});
  conv.set_weights({Tensor({1, 1, 2, 2}, {1, 2, 3, 4})});
  EXPECT_EQ(conv(Tensor({1, 1, 1, 2}, {10, 100})).to_vector<float>(),
            (std::vector<float>{10, 20, 300, 400}));
}

TEST(DepthwiseConv2D, Errors) {
  EXPECT_NE(
      error_message([] { DepthwiseConv2D(3, {.depth_multiplier = 0}); }).find("depth_multiplier"),
      std::string::npos);
  EXPECT_THROW(DepthwiseConv2D(3).compute_output_shape(Shape{None, 2, 5, 3}), Error);
}

}  // namespace
}  // namespace keras::layers
