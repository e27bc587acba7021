// Cropping2D: the three forms of cropping, both data formats, and Keras'
// error when nothing would be left.
#include "keras/layers/cropping2d.hpp"

#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(Cropping2D, Forms) {
  backend::clear_session();
  const Cropping2D crop({.cropping = {{1, 2}, {0, 1}}});
  EXPECT_EQ(crop.name(), "cropping2d");
  EXPECT_EQ(crop.compute_output_shape(Shape{None, 6, 7, 2}), (Shape{None, 3, 6, 2}));
  EXPECT_EQ(Cropping2D({.cropping = 1}).compute_output_shape(Shape{None, 5, 6, 2}),
            (Shape{None, 3, 4, 2}));
  const Tensor x({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(Cropping2D({.cropping = 1})(x).to_vector<float>(), (std::vector<float>{5}));
  EXPECT_EQ(Cropping2D({.cropping = {{0, 1}, {1, 0}}})(x).to_vector<float>(),
            (std::vector<float>{2, 3, 5, 6}));
}

TEST(Cropping2D, ChannelsFirstAndGradient) {
  const Cropping2D crop({.cropping = {1, 0}, .data_format = "channels_first"});
  EXPECT_EQ(crop.compute_output_shape(Shape{None, 2, 6, 5}), (Shape{None, 2, 4, 5}));
  const Tensor x({1, 1, 3, 1}, {1, 2, 3});
  GradientTape tape;
  tape.watch(x);
  const Tensor g = tape.gradient(ops::sum(crop(x)), {x})[0];
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{0, 1, 0}));
}

TEST(Cropping2D, CroppingEverythingIsAnError) {
  EXPECT_NE(testing::error_message([] {
              Cropping2D({.cropping = {{2, 1}, 0}}).compute_output_shape(Shape{None, 3, 4, 1});
            }).find("smaller than"),
            std::string::npos);
  EXPECT_THROW(Cropping2D({.cropping = -1}), Error);
}

}  // namespace
}  // namespace keras::layers
