#include "keras/layers/repeat_vector.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(RepeatVector, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(RepeatVector(3), testing::load_case("repeat_vector_2d"));
}

TEST(RepeatVector, RepeatsAlongANewTimeAxis) {
  const Tensor y = RepeatVector(2)(Tensor({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(y.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, 2, 1, 2, 3, 4, 3, 4}));
}

TEST(RepeatVector, NeedsRankTwoAndPositiveN) {
  EXPECT_THROW(RepeatVector(0), Error);
  EXPECT_THROW(RepeatVector(2).compute_output_shape(Shape{None, 3, 4}), Error);
  EXPECT_EQ(RepeatVector(2).compute_output_shape(Shape{None, 4}), (Shape{None, 2, 4}));
}

}  // namespace
}  // namespace keras::layers
