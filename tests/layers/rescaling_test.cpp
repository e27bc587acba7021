#include "keras/layers/rescaling.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(Rescaling, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(Rescaling(0.5, {.offset = -1.0}),
                                    testing::load_case("rescaling_3d"));
}

TEST(Rescaling, CastsIntegerImagesToFloat) {
  const Tensor x(Shape{1, 3}, std::vector<std::uint8_t>{0, 51, 255});
  const Tensor y = Rescaling(1.0 / 255)(x);
  EXPECT_EQ(y.dtype(), DType::float32);
  const std::vector<float> v = y.to_vector<float>();
  EXPECT_FLOAT_EQ(v[0], 0.0f);
  EXPECT_FLOAT_EQ(v[1], 0.2f);
  EXPECT_FLOAT_EQ(v[2], 1.0f);
  EXPECT_TRUE(Rescaling(2.0).impl().supports_masking());
}

// Without an offset one pass computes x * scale + 0: the same values as
// Keras' two steps, -0 turned to +0 included, and the gradient scale.
TEST(Rescaling, WithoutOffsetAsKerasTwoSteps) {
  const std::vector<float> in{-0.0f, 1e-3f, 3.3f, -7.0f, 255.0f};
  const Tensor x(Shape{5}, in);
  const float scale = 1.0f / 255;
  GradientTape tape;
  tape.watch(x);
  const Tensor y = Rescaling(1.0 / 255)(x);
  const std::vector<float> v = y.to_vector<float>();
  for (std::size_t i = 0; i < in.size(); ++i) {
    volatile float product = in[i] * scale;  // rounded on its own, as Keras does
    EXPECT_EQ(v[i], product + 0.0f) << i;
    EXPECT_FALSE(std::signbit(v[i]) && v[i] == 0.0f) << "x * scale + 0 turns -0 into +0, at " << i;
  }
  const Tensor g = tape.gradient(ops::sum(y), {x})[0];
  for (float d : g.to_vector<float>()) EXPECT_EQ(d, scale);
}

}  // namespace
}  // namespace keras::layers
