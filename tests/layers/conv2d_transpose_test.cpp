// Conv2DTranspose: Keras' output sizes (valid, same, output_padding,
// dilation), kernel layout (filters before channels), the adjoint relation
// with Conv2D, and errors. (Numbers against real Keras: tests/conv.)
#include "keras/layers/conv2d_transpose.hpp"

#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "keras/layers/conv2d.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

TEST(Conv2DTranspose, ShapesAndWeights) {
  backend::clear_session();
  const Conv2DTranspose conv(4, 3);
  EXPECT_EQ(conv.name(), "conv2d_transpose");
  EXPECT_EQ(conv.compute_output_shape(Shape{None, 4, 5, 3}), (Shape{None, 6, 7, 4}));
  conv.impl().maybe_build({Shape{None, 4, 5, 3}});
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 3, 4, 3}));  // (kh, kw, filters, channels)
  EXPECT_EQ(conv.count_params(), 3 * 3 * 4 * 3 + 4);
  // "same": size * stride; "valid": (size - 1) * stride + max(kernel, stride).
  EXPECT_EQ(Conv2DTranspose(4, 3, {.strides = 2, .padding = "same"})
                .compute_output_shape(Shape{None, 4, 5, 3}),
            (Shape{None, 8, 10, 4}));
  EXPECT_EQ(Conv2DTranspose(2, 2, {.strides = 3}).compute_output_shape(Shape{None, 3, 4, 2}),
            (Shape{None, 9, 12, 2}));
  EXPECT_EQ(Conv2DTranspose(3, 3, {.strides = 2, .output_padding = 1})
                .compute_output_shape(Shape{None, 3, 4, 2}),
            (Shape{None, 8, 10, 3}));
  EXPECT_EQ(Conv2DTranspose(
                3, {4, 3}, {.strides = {3, 2}, .padding = "same", .output_padding = IntTuple{1, 0}})
                .compute_output_shape(Shape{None, 3, 4, 2}),
            (Shape{None, 7, 7, 3}));
  EXPECT_EQ(Conv2DTranspose(2, 2, {.strides = 2, .data_format = "channels_first"})
                .compute_output_shape(Shape{None, 3, 4, 5}),
            (Shape{None, 2, 8, 10}));
}

TEST(Conv2DTranspose, IsTheAdjointOfConv2D) {
  // <conv(u), v> == <u, conv_transpose(v)> with the same kernel.
  const Conv2D conv(2, 3, {.strides = 2, .padding = "same", .use_bias = false});
  const Conv2DTranspose transpose(3, 3, {.strides = 2, .padding = "same", .use_bias = false});
  conv.impl().maybe_build({Shape{None, 6, 6, 3}});
  transpose.impl().maybe_build({Shape{None, 3, 3, 2}});
  transpose.set_weights(conv.get_weights());  // (3, 3, 3, 2) both
  std::vector<float> a(1 * 6 * 6 * 3), b(1 * 3 * 3 * 2);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>((i * 7) % 11) - 5.0f;
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>((i * 5) % 9) - 4.0f;
  const Tensor u({1, 6, 6, 3}, a), v({1, 3, 3, 2}, b);
  const double lhs = ops::sum(ops::multiply(conv(u), v)).item<double>();
  const double rhs = ops::sum(ops::multiply(u, transpose(v))).item<double>();
  EXPECT_NEAR(lhs, rhs, 1e-3 * (1 + std::abs(lhs)));
}

TEST(Conv2DTranspose, Errors) {
  EXPECT_NE(error_message([] {
              Conv2DTranspose(2, 3, {.strides = 2, .output_padding = 2});
            }).find("output_padding"),
            std::string::npos);
  EXPECT_NE(error_message([] { Conv2DTranspose(0, 3); }).find("filters"), std::string::npos);
  EXPECT_NE(error_message([] { Conv2DTranspose(2, 3, {.padding = "causal"}); }).find("padding"),
            std::string::npos);
  const Conv2DTranspose conv(2, 3);
  conv.impl().maybe_build({Shape{None, 4, 4, 3}});
  EXPECT_THROW(conv(Tensor::zeros(Shape{1, 4, 4, 2})), Error);
}

}  // namespace
}  // namespace keras::layers
