// Conv1D: shapes, weights, "causal" padding, channels_first, from-config and
// errors. (Numbers against real Keras: tests/conv.)
#include "keras/layers/conv1d.hpp"

#include <gtest/gtest.h>

#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

TEST(Conv1D, ShapesWeightsAndParameterCounts) {
  backend::clear_session();
  const Conv1D conv(8, 3);
  EXPECT_EQ(conv.name(), "conv1d");
  EXPECT_EQ(conv.compute_output_shape(Shape{None, 10, 4}), (Shape{None, 8, 8}));
  conv.impl().maybe_build({Shape{None, 10, 4}});
  EXPECT_EQ(conv.count_params(), 3 * 4 * 8 + 8);
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 4, 8}));
  EXPECT_EQ(
      Conv1D(4, 4, {.strides = 2, .padding = "same"}).compute_output_shape(Shape{None, 11, 3}),
      (Shape{None, 6, 4}));
  EXPECT_EQ(
      Conv1D(3, 2, {.strides = 3, .padding = "causal"}).compute_output_shape(Shape{None, 10, 2}),
      (Shape{None, 4, 3}));
  EXPECT_EQ(Conv1D(4, 3, {.data_format = "channels_first"}).compute_output_shape(Shape{2, 3, 10}),
            (Shape{2, 4, 8}));
}

TEST(Conv1D, CausalOutputsSeeOnlyThePast) {
  // Kernel [1, 10] over [1, 2, 3]: causal pads one zero before, so
  // y[t] = x[t - 1] + 10 x[t].
  const Conv1D conv(1, 2, {.padding = "causal", .use_bias = false});
  conv.impl().maybe_build({Shape{None, 3, 1}});
  conv.set_weights({Tensor({2, 1, 1}, {1, 10})});
  EXPECT_EQ(conv(Tensor({1, 3, 1}, {1, 2, 3})).to_vector<float>(),
            (std::vector<float>{10, 21, 32}));
}

TEST(Conv1D, ChannelsFirstGivesTheSameNumbersTransposed) {
  const Conv1D last(2, 3, {.padding = "same"});
  const Conv1D first(2, 3, {.padding = "same", .data_format = "channels_first"});
  last.impl().maybe_build({Shape{None, 5, 3}});
  first.impl().maybe_build({Shape{None, 3, 5}});
  first.set_weights(last.get_weights());
  std::vector<float> v(15);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 7) - 3.0f;
  const Tensor x({1, 5, 3}, v);
  const Tensor y_last = last(x);
  const Tensor y_first = first(ops::transpose(x, {0, 2, 1}));
  const auto a = ops::transpose(y_first, {0, 2, 1}).to_vector<float>();
  const auto b = y_last.to_vector<float>();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5);
}

TEST(Conv1D, Errors) {
  EXPECT_NE(error_message([] { Conv1D(4, {3, 3}); }).find("kernel_size"), std::string::npos);
  EXPECT_NE(error_message([] { Conv1D(4, 3, {.padding = "full"}); }).find("causal"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              Conv1D(4, 3).compute_output_shape(Shape{None, 5, 5, 3});
            }).find("rank 3"),
            std::string::npos);
}

}  // namespace
}  // namespace keras::layers
