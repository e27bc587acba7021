// MaxPooling2D: Keras' defaults (pool 2, strides = pool_size), "same"
// windows that ignore the padding, channels_first, the gradient going to each
// window's maximum, and from-config.
#include "keras/layers/max_pooling2d.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

const Tensor kImage({1, 3, 4, 1}, {1, 5, 2, 0, 3, 4, 8, 7, -1, 6, -3, 9});

TEST(MaxPooling2D, DefaultsHalveHeightAndWidth) {
  backend::clear_session();
  const MaxPooling2D pool;
  EXPECT_EQ(pool.name(), "max_pooling2d");
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 7, 9, 3}), (Shape{None, 3, 4, 3}));
  EXPECT_EQ(pool.count_params(), 0);
  // Windows rows 0-1, columns 0-1 and 2-3; row 2 is dropped ("valid").
  EXPECT_EQ(pool(kImage).to_vector<float>(), (std::vector<float>{5, 8}));
}

TEST(MaxPooling2D, SamePaddingNeverWinsTheMaximum) {
  const MaxPooling2D pool({.pool_size = 3, .strides = IntTuple(2), .padding = "same"});
  EXPECT_EQ(pool.compute_output_shape(Shape{None, 3, 4, 1}), (Shape{None, 2, 2, 1}));
  // Total padding 2 rows (1 before) and 1 column (0 before, 1 after).
  EXPECT_EQ(pool(ops::negative(kImage)).to_vector<float>(), (std::vector<float>{-1, 0, 3, 3}));
}

TEST(MaxPooling2D, ChannelsFirst) {
  const MaxPooling2D pool({.pool_size = {1, 2}, .data_format = "channels_first"});
  const Tensor x({1, 2, 1, 4}, {1, 2, 3, 4, 8, 7, 6, 5});
  EXPECT_EQ(pool.compute_output_shape(x.shape()), (Shape{1, 2, 1, 2}));
  EXPECT_EQ(pool(x).to_vector<float>(), (std::vector<float>{2, 4, 8, 6}));
}

TEST(MaxPooling2D, GradientGoesToEachWindowsMaximum) {
  const MaxPooling2D pool;
  const Tensor x = kImage.clone();
  GradientTape tape;
  tape.watch(x);
  const Tensor y = pool(x);
  const Tensor g = tape.gradient(ops::sum(ops::multiply(y, Tensor({1, 1, 2, 1}, {1, 2}))), {x})[0];
  EXPECT_EQ(g.to_vector<float>(), (std::vector<float>{0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0}));
}

TEST(MaxPooling2D, FromKerasConfig) {
  const auto object = nlohmann::ordered_json::parse(R"({"class_name": "MaxPooling2D",
    "config": {"name": "p", "trainable": true, "pool_size": [3, 2], "padding": "same",
               "strides": [1, 2], "data_format": "channels_last"}})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.compute_output_shape(Shape{None, 5, 5, 2}), (Shape{None, 5, 3, 2}));
}

TEST(MaxPooling2D, Errors) {
  EXPECT_THROW(MaxPooling2D({.pool_size = 0}), Error);
  EXPECT_THROW(MaxPooling2D({.padding = "full"}), Error);
  EXPECT_THROW(MaxPooling2D().compute_output_shape(Shape{None, 4, 4}), Error);
  EXPECT_NE(testing::error_message([] {
              MaxPooling2D({.pool_size = 5})(kImage);
            }).find("zero or negative"),
            std::string::npos);
}

}  // namespace
}  // namespace keras::layers
