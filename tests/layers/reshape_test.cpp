#include "keras/layers/reshape.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

struct ReshapeCase {
  const char* name;
  std::vector<std::int64_t> target_shape;
};

class ReshapeFixture : public ::testing::TestWithParam<ReshapeCase> {};

TEST_P(ReshapeFixture, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(Reshape(GetParam().target_shape),
                                    testing::load_case(GetParam().name));
}

INSTANTIATE_TEST_SUITE_P(Cases, ReshapeFixture,
                         ::testing::Values(ReshapeCase{"reshape_2d", {2, 3}},
                                           ReshapeCase{"reshape_3d", {6, 4}},
                                           ReshapeCase{"reshape_4d", {12, 6}},
                                           ReshapeCase{"reshape_flat_3d", {-1}},
                                           ReshapeCase{"reshape_2_minus1_3d", {2, -1}},
                                           ReshapeCase{"reshape_minus1_3d", {-1, 2}}));

TEST(Reshape, InfersTheMinusOneOrLeavesItUnknown) {
  const Reshape reshape({-1, 3});
  EXPECT_EQ(reshape.compute_output_shape(Shape{None, 4, 6}), (Shape{None, 8, 3}));
  EXPECT_EQ(reshape.compute_output_shape(Shape{None, None, 6}), (Shape{None, None, 3}));
  EXPECT_EQ(reshape.compute_output_shape(Shape{5, 2, 3}), (Shape{5, 2, 3}));
}

TEST(Reshape, SizeMismatchNamesBothShapes) {
  backend::clear_session();
  const std::string message = error_message([] {
    Reshape({5}).compute_output_shape(Shape{None, 3, 4});
  });
  EXPECT_EQ(message,
            "Reshape \"reshape\" cannot reshape inputs of shape (None, 3, 4) (12 values per "
            "sample) to target_shape (5,) (5 values): the total size must be unchanged. To put "
            "every value on one axis, use target_shape (12,) or Flatten().");
  const std::string indivisible = error_message([] {
    Reshape({5, -1}).compute_output_shape(Shape{None, 3, 4});
  });
  EXPECT_NE(indivisible.find("target_shape (5, -1)"), std::string::npos);
  EXPECT_NE(indivisible.find("12 is not divisible by 5"), std::string::npos);
  EXPECT_THROW(Reshape({5})(Tensor::zeros(Shape{2, 3, 4})), Error);
}

TEST(Reshape, RejectsBadTargetShapes) {
  EXPECT_THROW(Reshape({-1, -1}), Error);
  EXPECT_THROW(Reshape({2, -2}), Error);
}

TEST(Reshape, ComputesAView) {
  const Tensor x({2, 6}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  const Tensor y = Reshape({3, -1})(x);
  EXPECT_EQ(y.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(y.to_vector<float>(), x.to_vector<float>());
}

}  // namespace
}  // namespace keras::layers
