// The internal convolution and pooling ops behind the layers (src/ops/conv.hpp,
// src/ops/pool.hpp), against central finite differences in float64: the
// fused bias and activations, "causal" padding, the transposed and depthwise
// forms with a bias, both data formats. (keras::ops::conv & co. without a bias
// are in gradient_check_test.cpp's table.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/gradient_check_testing.hpp"
#include "keras/ops.hpp"
#include "ops/conv.hpp"
#include "ops/pool.hpp"

namespace keras {
namespace {

using Ts = std::vector<Tensor>;
using testing::check_gradients;
using testing::random_tensor;

std::uint64_t seed = 7000;
Tensor uniform(const Shape& s, double lo = -1.0, double hi = 1.0) {
  return random_tensor(s, lo, hi, ++seed);
}

TEST(ConvGradient, FusedBiasAndEachKindOfActivation) {
  // relu and linear run inside the convolution, elu needs the pre-activation,
  // softmax is applied afterwards as its own op (over channels_first's last axis).
  for (const std::string activation : {"linear", "relu", "elu", "tanh", "softmax"}) {
    for (const std::string format : {"channels_last", "channels_first"}) {
      const Shape x_shape = format == "channels_last" ? Shape{2, 5, 6, 3} : Shape{2, 3, 5, 6};
      const ops::ConvArgs args{.strides = {2, 1}, .padding = "same", .data_format = format};
      const auto f = [&](const Ts& in) {
        return ops::conv_nd("conv", in[0], in[1], in[2], args, activation);
      };
      EXPECT_TRUE(
          check_gradients(f, {uniform(x_shape, -2, 2), uniform({3, 3, 3, 4}), uniform({4})}))
          << activation << " " << format;
    }
  }
}

TEST(ConvGradient, CausalGroupedOneDimensional) {
  const ops::ConvArgs args{.padding = "causal", .dilation_rate = {2}};
  const auto f = [&](const Ts& in) {
    return ops::conv_nd("conv1d", in[0], in[1], in[2], args, "selu");
  };
  EXPECT_TRUE(check_gradients(f, {uniform({2, 9, 4}), uniform({3, 2, 6}), uniform({6})}));
}

TEST(ConvGradient, DepthwiseWithBias) {
  const ops::ConvArgs args{.strides = {2}, .padding = "same"};
  const auto f = [&](const Ts& in) {
    return ops::depthwise_conv_nd("depthwise", in[0], in[1], in[2], args, "relu");
  };
  EXPECT_TRUE(
      check_gradients(f, {uniform({2, 6, 7, 3}, -2, 2), uniform({3, 2, 3, 2}), uniform({6})}));
}

TEST(ConvGradient, TransposedWithBias) {
  for (const std::string format : {"channels_last", "channels_first"}) {
    const ops::ConvArgs args{
        .strides = {2, 3}, .padding = "same", .data_format = format, .output_padding = {1, 0}};
    const Shape x_shape = format == "channels_last" ? Shape{2, 3, 4, 2} : Shape{2, 2, 3, 4};
    const auto f = [&](const Ts& in) {
      return ops::conv_transpose_nd("transpose", in[0], in[1], in[2], args, "sigmoid");
    };
    EXPECT_TRUE(check_gradients(f, {uniform(x_shape), uniform({3, 4, 3, 2}), uniform({3})}))
        << format;
  }
}

TEST(ConvGradient, Pooling) {
  const ops::PoolArgs same{.pool_size = {3}, .strides = {2}, .padding = "same"};
  const ops::PoolArgs first{.pool_size = {2, 3}, .data_format = "channels_first"};
  EXPECT_TRUE(check_gradients([&](const Ts& in) { return ops::max_pool_nd("max", in[0], same); },
                              {uniform({2, 7, 6, 3})}));
  EXPECT_TRUE(
      check_gradients([&](const Ts& in) { return ops::average_pool_nd("average", in[0], first); },
                      {uniform({2, 3, 5, 7})}));
}

// The check must fail when a gradient is wrong: here the kernel is seen by
// the tape only through a detached copy.
TEST(ConvGradient, CatchesAWrongGradient) {
  const auto f = [](const Ts& in) {
    return ops::conv_nd("conv", in[0], in[1].clone(), Tensor(), {}, "linear");
  };
  EXPECT_FALSE(check_gradients(f, {uniform({1, 4, 4, 2}), uniform({2, 2, 2, 3})}));
}

}  // namespace
}  // namespace keras
