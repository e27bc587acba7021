#include "keras/layers/multiply.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(Multiply, MultipliesAndBroadcasts) {
  const Multiply mul;
  const std::vector<Tensor> y =
      mul({Tensor({1, 2, 2}, {1, 2, 3, 4}), Tensor({1, 2, 1}, {10, 100}), Tensor({1, 2}, {1, 2})});
  EXPECT_EQ(y[0].shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{10, 40, 300, 800}));
  EXPECT_EQ(mul.impl().compute_output_shape({Shape{None, 3, 4}, Shape{None, 3, 1}})[0],
            (Shape{None, 3, 4}));
}

TEST(Multiply, MaskedPositionsCountAsOneAndAllMaskedGiveZero) {
  const Multiply mul;
  const Tensor a({1, 3, 1}, {2, 3, 4});
  const Tensor b({1, 3, 1}, {5, 6, 7});
  CallContext ctx;
  ctx.masks = {Tensor(Shape{1, 3}, std::vector<bool>{true, false, false}),
               Tensor(Shape{1, 3}, std::vector<bool>{true, true, false})};
  const Tensor y = mul.impl().apply({a, b}, ctx)[0];
  // Step 0: 2 * 5; step 1: a masked -> 1 * 6; step 2: masked in both -> 0.
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{10, 6, 0}));
  // With only one input masked, no output masking: 1 * 6 and 1 * 7.
  ctx.masks[1] = std::nullopt;
  const Tensor z = mul.impl().apply({a, b}, ctx)[0];
  EXPECT_EQ(z.to_vector<float>(), (std::vector<float>{10, 6, 7}));
}

TEST(Multiply, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "Multiply", "config": {"name": "m",
    "trainable": true, "dtype": "float32"}})");
  EXPECT_EQ(Layer(layer_from_config(object)).name(), "m");
}

}  // namespace
}  // namespace keras::layers
