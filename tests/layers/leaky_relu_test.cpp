#include "keras/layers/leaky_relu.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(LeakyReLU, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(LeakyReLU(), testing::load_case("leaky_relu_3d"));
  backend::clear_session();
  testing::check_layer_against_case(LeakyReLU({.negative_slope = 0.2}),
                                    testing::load_case("leaky_relu_slope_3d"));
}

TEST(LeakyReLU, DefaultSlopeIsKeras3s) {
  const std::vector<float> y = LeakyReLU()(Tensor({1, 2}, {-1, 2})).to_vector<float>();
  EXPECT_FLOAT_EQ(y[0], -0.3f);
  EXPECT_FLOAT_EQ(y[1], 2.0f);
  EXPECT_THROW(LeakyReLU({.negative_slope = -1}), Error);
}

}  // namespace
}  // namespace keras::layers
