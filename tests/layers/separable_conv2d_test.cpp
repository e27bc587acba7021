// SeparableConv2D: depthwise then pointwise, Keras' weight names and order,
// and the equivalence with the two layers it is made of.
#include "keras/layers/separable_conv2d.hpp"

#include <gtest/gtest.h>

#include "keras/layers/conv2d.hpp"
#include "keras/layers/depthwise_conv2d.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(SeparableConv2D, WeightsInKerasOrder) {
  backend::clear_session();
  const SeparableConv2D conv(5, 3, {.strides = 2, .padding = "same", .depth_multiplier = 2});
  EXPECT_EQ(conv.name(), "separable_conv2d");
  EXPECT_EQ(conv.compute_output_shape(Shape{None, 8, 7, 3}), (Shape{None, 4, 4, 5}));
  conv.impl().maybe_build({Shape{None, 8, 7, 3}});
  const auto w = conv.weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].name(), "depthwise_kernel");
  EXPECT_EQ(w[0].shape(), (Shape{3, 3, 3, 2}));
  EXPECT_EQ(w[1].name(), "pointwise_kernel");
  EXPECT_EQ(w[1].shape(), (Shape{1, 1, 6, 5}));
  EXPECT_EQ(w[2].name(), "bias");
  EXPECT_EQ(conv.count_params(), 54 + 30 + 5);
}

TEST(SeparableConv2D, IsDepthwiseThenPointwise) {
  const SeparableConv2D sep(2, 3, {.padding = "same", .activation = "tanh"});
  const DepthwiseConv2D depthwise(3, {.padding = "same", .use_bias = false});
  const Conv2D pointwise(2, 1, {.activation = "tanh"});
  sep.impl().maybe_build({Shape{None, 4, 5, 3}});
  depthwise.impl().maybe_build({Shape{None, 4, 5, 3}});
  pointwise.impl().maybe_build({Shape{None, 4, 5, 3}});
  const auto w = sep.get_weights();
  depthwise.set_weights({w[0]});
  pointwise.set_weights({w[1], Tensor({2}, {0.1f, -0.2f})});
  sep.set_weights({w[0], w[1], Tensor({2}, {0.1f, -0.2f})});
  std::vector<float> v(60);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 13) % 17) / 8.0f - 1;
  const Tensor x({1, 4, 5, 3}, v);
  const auto a = sep(x).to_vector<float>();
  const auto b = pointwise(depthwise(x)).to_vector<float>();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6);
}

TEST(SeparableConv2D, Errors) {
  EXPECT_THROW(SeparableConv2D(0, 3), Error);
  EXPECT_THROW(SeparableConv2D(2, 3, {.depth_multiplier = -1}), Error);
  EXPECT_THROW(SeparableConv2D(2, 3).compute_output_shape(Shape{None, 5, 3}), Error);
}

}  // namespace
}  // namespace keras::layers
