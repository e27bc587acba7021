#include "keras/layers/maximum.hpp"

#include <gtest/gtest.h>

#include "keras/layers/minimum.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(Maximum, TakesTheElementWiseMaximum) {
  const std::vector<Tensor> y =
      Maximum()({Tensor({1, 3}, {1, 5, 3}), Tensor({1, 3}, {4, 2, 3}), Tensor({1, 3}, {0, 0, 9})});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{4, 5, 9}));
}

TEST(Maximum, AMaskedPositionTakesTheOtherInputsValue) {
  const Maximum max;
  const Tensor a({1, 2, 1}, {10, 1});
  const Tensor b({1, 2, 1}, {2, 3});
  CallContext ctx;
  ctx.masks = {Tensor(Shape{1, 2}, std::vector<bool>{false, true}), std::nullopt};
  // Step 0: a is masked -> b's 2 (not max(10, 2)); step 1: max(1, 3).
  EXPECT_EQ(max.impl().apply({a, b}, ctx)[0].to_vector<float>(), (std::vector<float>{2, 3}));
  ctx.masks = {std::nullopt, Tensor(Shape{1, 2}, std::vector<bool>{true, false})};
  // Step 1: b is masked -> a's 1.
  EXPECT_EQ(max.impl().apply({a, b}, ctx)[0].to_vector<float>(), (std::vector<float>{10, 1}));
}

TEST(Maximum, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "Maximum", "config": {"name": "mx",
    "trainable": true, "dtype": "float32"}})");
  EXPECT_EQ(Layer(layer_from_config(object)).class_name(), "Maximum");
}

}  // namespace
}  // namespace keras::layers
