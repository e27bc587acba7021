#include "keras/layers/flatten.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

class FlattenFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(FlattenFixture, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(Flatten(), testing::load_case(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Cases, FlattenFixture,
                         ::testing::Values("flatten_2d", "flatten_3d", "flatten_4d"));

TEST(Flatten, OutputShapes) {
  const Flatten flatten;
  EXPECT_EQ(flatten.compute_output_shape(Shape{None, 3, 2}), (Shape{None, 6}));
  EXPECT_EQ(flatten.compute_output_shape(Shape{None}), (Shape{None, 1}));
  EXPECT_EQ(flatten.compute_output_shape(Shape{None, None, 3}), (Shape{None, None}));
  EXPECT_EQ(flatten.compute_output_shape(Shape{4, 2, 2}), (Shape{4, 4}));
  EXPECT_THROW(flatten.compute_output_shape(Shape{}), Error);
  EXPECT_FALSE(flatten.impl().supports_masking());
}

TEST(Flatten, KeepsRowMajorOrderAndDtype) {
  const Tensor x(Shape{1, 2, 2}, std::vector<std::int32_t>{1, 2, 3, 4});
  const Tensor y = Flatten()(x);
  EXPECT_EQ(y.shape(), (Shape{1, 4}));
  EXPECT_EQ(y.dtype(), DType::int32);
  EXPECT_EQ(y.to_vector<std::int32_t>(), (std::vector<std::int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(Flatten().impl().compute_output_dtype({DType::int32}, 1)[0], DType::int32);
}

TEST(Flatten, ChannelsFirstMovesChannelsLast) {
  // (batch, channels=2, 3) -> values in (3, 2) order.
  const Tensor x({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor y = Flatten({.data_format = "channels_first"})(x);
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  EXPECT_THROW(Flatten({.data_format = "channels_middle"}), Error);
}

}  // namespace
}  // namespace keras::layers
