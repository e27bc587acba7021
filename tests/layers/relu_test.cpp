#include "keras/layers/relu.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(ReLU, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(ReLU(), testing::load_case("relu_layer_3d"));
  backend::clear_session();
  testing::check_layer_against_case(
      ReLU({.max_value = 1.5, .negative_slope = 0.1, .threshold = 0.2}),
      testing::load_case("relu_layer_options_3d"));
}

TEST(ReLU, FollowsKerasFormula) {
  const Tensor x({1, 5}, {-10, -5, 0, 5, 10});
  EXPECT_EQ(ReLU()(x).to_vector<float>(), (std::vector<float>{0, 0, 0, 5, 10}));
  EXPECT_EQ(ReLU({.negative_slope = 0.5})(x).to_vector<float>(),
            (std::vector<float>{-5, -2.5, 0, 5, 10}));
  EXPECT_EQ(ReLU({.max_value = 5.0})(x).to_vector<float>(), (std::vector<float>{0, 0, 0, 5, 5}));
  EXPECT_EQ(ReLU({.max_value = 6.0})(x).to_vector<float>(), (std::vector<float>{0, 0, 0, 5, 6}));
  EXPECT_EQ(ReLU({.threshold = 5.0})(x).to_vector<float>(), (std::vector<float>{0, 0, 0, 0, 10}));
}

TEST(ReLU, RejectsNegativeOptions) {
  EXPECT_THROW(ReLU({.max_value = -1.0}), Error);
  EXPECT_THROW(ReLU({.negative_slope = -0.1}), Error);
  EXPECT_THROW(ReLU({.threshold = -0.1}), Error);
}

}  // namespace
}  // namespace keras::layers
