#include "keras/layers/softmax.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(Softmax, MatchesKeras) {
  for (const char* name : {"softmax_2d", "softmax_3d", "softmax_4d"}) {
    backend::clear_session();
    testing::check_layer_against_case(Softmax(), testing::load_case(name));
  }
  backend::clear_session();
  testing::check_layer_against_case(Softmax({.axis = {1}}), testing::load_case("softmax_axis1_3d"));
}

TEST(Softmax, SeveralAxesNormaliseJointly) {
  const Tensor x({1, 2, 2}, {0, 1, 2, 3});
  const std::vector<float> y = Softmax({.axis = {1, 2}})(x).to_vector<float>();
  double total = 0;
  for (float v : y) total += v;
  EXPECT_NEAR(total, 1.0, 1e-6);
  EXPECT_NEAR(y[3] / y[0], std::exp(3.0), 1e-3);
}

TEST(Softmax, MaskedPositionsGetZero) {
  const Softmax softmax;
  CallContext ctx;
  ctx.masks.push_back(Tensor(Shape{1, 3}, std::vector<bool>{true, false, true}));
  const std::vector<Tensor> y = softmax.impl().apply({Tensor({1, 3}, {1, 5, 1})}, ctx);
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{0.5f, 0.0f, 0.5f}));
  ctx.masks[0] = Tensor(Shape{1, 2}, std::vector<bool>{true, false});
  EXPECT_THROW(softmax.impl().apply({Tensor({1, 3}, {1, 5, 1})}, ctx), Error);
}

TEST(Softmax, RejectsAxesTheInputLacks) {
  EXPECT_THROW(Softmax({.axis = {2}}).compute_output_shape(Shape{None, 3}), Error);
}

}  // namespace
}  // namespace keras::layers
