// UpSampling2D: nearest repeats values, bilinear interpolates with
// half-pixel centres and clamped edges (jax.image.resize, as Keras).
#include "keras/layers/up_sampling2d.hpp"

#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(UpSampling2D, NearestRepeats) {
  backend::clear_session();
  const UpSampling2D up;
  EXPECT_EQ(up.name(), "up_sampling2d");
  EXPECT_EQ(up.compute_output_shape(Shape{None, 3, None, 2}), (Shape{None, 6, None, 2}));
  const Tensor x({1, 1, 2, 1}, {1, 2});
  const Tensor y = UpSampling2D({.size = {2, 3}})(x);
  EXPECT_EQ(y.shape(), (Shape{1, 2, 6, 1}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
}

TEST(UpSampling2D, BilinearHalfPixelCentres) {
  const UpSampling2D up({.size = {1, 2}, .interpolation = "bilinear"});
  const Tensor y = up(Tensor({1, 1, 3, 1}, {0, 4, 8}));
  // Output i samples input (i + 0.5) / 2 - 0.5: -0.25 (clamped), 0.25, 0.75, ...
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{0, 1, 3, 5, 7, 8}));
}

TEST(UpSampling2D, BilinearIsDifferentiable) {
  const UpSampling2D up({.data_format = "channels_first", .interpolation = "bilinear"});
  const Tensor x({1, 1, 2, 2}, {1, 2, 3, 4});
  GradientTape tape;
  tape.watch(x);
  const Tensor g = tape.gradient(ops::sum(up(x)), {x})[0];
  // Every input value spreads weight 4 over the 4x larger output.
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{4, 4, 4, 4}));
}

TEST(UpSampling2D, Errors) {
  EXPECT_THROW(UpSampling2D({.interpolation = "bicubic"}), Error);
  EXPECT_THROW(UpSampling2D({.size = 0}), Error);
  EXPECT_THROW(UpSampling2D().compute_output_shape(Shape{None, 3, 2}), Error);
}

}  // namespace
}  // namespace keras::layers
