#include "keras/layers/permute.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(Permute, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(Permute({2, 1}), testing::load_case("permute_3d"));
  backend::clear_session();
  testing::check_layer_against_case(Permute({3, 1, 2}), testing::load_case("permute_4d"));
}

TEST(Permute, OutputShapeFollowsOneBasedDims) {
  EXPECT_EQ(Permute({2, 1}).compute_output_shape(Shape{None, 3, 4}), (Shape{None, 4, 3}));
  EXPECT_EQ(Permute({3, 1, 2}).compute_output_shape(Shape{7, 2, 3, 4}), (Shape{7, 4, 2, 3}));
}

TEST(Permute, RejectsBadDimsAndRanks) {
  EXPECT_THROW(Permute({0, 1}), Error);
  EXPECT_THROW(Permute({1, 1}), Error);
  EXPECT_THROW(Permute({1, 3}), Error);
  const std::string message = testing::error_message([] {
    Permute({2, 1}).compute_output_shape(Shape{None, 3, 4, 5});
  });
  EXPECT_NE(message.find("expects inputs of rank 3"), std::string::npos);
  EXPECT_NE(message.find("(None, 3, 4, 5)"), std::string::npos);
}

}  // namespace
}  // namespace keras::layers
