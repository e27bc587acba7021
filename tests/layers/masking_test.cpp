#include "keras/layers/masking.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

// Two sequences of three steps with two features; step (0, 1) and (1, 2)
// are all zeros, (1, 0) has one zero feature only.
Tensor steps() {
  return Tensor(Shape{2, 3, 2}, {1, 2, 0, 0, 3, 0,  //
                                 0, 5, 6, 7, 0, 0});
}

TEST(Masking, ZeroesAndMasksTheStepsThatAreAllMaskValue) {
  const Masking masking;
  EXPECT_TRUE(masking.impl().supports_masking());
  EXPECT_EQ(masking.compute_output_shape(Shape{None, 3, 2}), (Shape{None, 3, 2}));
  const Tensor y = masking(steps());
  EXPECT_EQ(y.to_vector<float>(), steps().to_vector<float>());
  const auto mask = masking.impl().compute_mask({steps()}, {});
  ASSERT_EQ(mask.size(), 1u);
  ASSERT_TRUE(mask[0].has_value());
  EXPECT_EQ(mask[0]->shape(), (Shape{2, 3}));
  EXPECT_EQ(mask[0]->to_vector<bool>(), (std::vector<bool>{true, false, true, true, true, false}));
}

TEST(Masking, ZeroesStepsEqualToAnotherMaskValue) {
  const Masking masking({.mask_value = 1.5});
  const Tensor x(Shape{1, 3, 2}, {1.5f, 1.5f, 1.5f, 2.0f, -1.0f, 1.5f});
  // Step 0 is all 1.5: zeroed and masked. The others keep every value.
  EXPECT_EQ(masking(x).to_vector<float>(), (std::vector<float>{0, 0, 1.5f, 2, -1, 1.5f}));
  EXPECT_EQ(masking.impl().compute_mask({x}, {})[0]->to_vector<bool>(),
            (std::vector<bool>{false, true, true}));
}

TEST(Masking, ReplacesAnIncomingMaskAndKeepsTheDtype) {
  const Masking masking;
  const Tensor incoming(Shape{2, 3}, std::vector<bool>(6, false));
  const auto mask = masking.impl().compute_mask({steps()}, {incoming});
  EXPECT_EQ(mask[0]->to_vector<bool>(), (std::vector<bool>{true, false, true, true, true, false}));
  const Tensor x64 = steps().astype(DType::float64);
  EXPECT_EQ(masking(x64).dtype(), DType::float64);
  // NaN differs from every mask value, so a NaN step is kept (as in Keras).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor with_nan(Shape{1, 1, 2}, {nan, 0.0f});
  EXPECT_TRUE(masking.impl().compute_mask({with_nan}, {})[0]->item<bool>());
}

TEST(Masking, GradientFlowsOnlyThroughKeptSteps) {
  const Masking masking({.mask_value = 2.0});
  const Tensor x(Shape{1, 2, 2}, {2.0f, 2.0f, 1.0f, 2.0f});
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::sum(ops::multiply(masking(x), Tensor(Shape{1, 2, 2}, {1, 2, 3, 4})));
  const std::vector<Tensor> g = tape.gradient(y, std::vector<Tensor>{x});
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{0, 0, 3, 4}));
}

TEST(Masking, ReadsKerasConfig) {
  backend::clear_session();
  const auto object = json::parse(R"({"module": "keras.layers", "class_name": "Masking",
    "config": {"name": "masking", "trainable": true,
               "dtype": {"module": "keras", "class_name": "DTypePolicy",
                         "config": {"name": "float32"}, "registered_name": null},
               "mask_value": -1.0},
    "registered_name": null})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.class_name(), "Masking");
  const Tensor x(Shape{1, 2, 1}, {-1.0f, 4.0f});
  EXPECT_EQ(layer.impl().compute_mask({x}, {})[0]->to_vector<bool>(),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(layer.count_params(), 0);
}

}  // namespace
}  // namespace keras::layers
