#include "keras/layers/rescaling.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace keras::layers
