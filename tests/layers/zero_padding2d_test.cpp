// ZeroPadding2D: int, (height, width) and ((top, bottom), (left, right))
// forms, both data formats, from-config.
#include "keras/layers/zero_padding2d.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(ZeroPadding2D, Forms) {
  backend::clear_session();
  const ZeroPadding2D pad;
  EXPECT_EQ(pad.name(), "zero_padding2d");
  EXPECT_EQ(pad.compute_output_shape(Shape{None, 3, 4, 2}), (Shape{None, 5, 6, 2}));
  EXPECT_EQ(ZeroPadding2D({.padding = {1, 2}}).compute_output_shape(Shape{None, 3, 4, 2}),
            (Shape{None, 5, 8, 2}));
  EXPECT_EQ(ZeroPadding2D({.padding = {{1, 2}, {3, 0}}}).compute_output_shape(Shape{None, 3, 4, 2}),
            (Shape{None, 6, 7, 2}));
  const Tensor y = ZeroPadding2D({.padding = {{0, 1}, {1, 0}}})(Tensor({1, 1, 2, 1}, {5, 6}));
  EXPECT_EQ(y.shape(), (Shape{1, 2, 3, 1}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{0, 5, 6, 0, 0, 0}));
}

TEST(ZeroPadding2D, ChannelsFirstKeepsDtype) {
  const ZeroPadding2D pad({.padding = {1, 0}, .data_format = "channels_first"});
  const Tensor x(Shape{1, 1, 1, 1}, std::vector<std::int32_t>{7});
  const Tensor y = pad(x);
  EXPECT_EQ(y.dtype(), DType::int32);
  EXPECT_EQ(y.to_vector<std::int32_t>(), (std::vector<std::int32_t>{0, 7, 0}));
}

TEST(ZeroPadding2D, FromKerasConfigAndErrors) {
  const auto object = nlohmann::ordered_json::parse(R"({"class_name": "ZeroPadding2D",
    "config": {"name": "z", "trainable": true, "padding": [[1, 2], [3, 0]],
               "data_format": "channels_last"}})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.compute_output_shape(Shape{None, 3, 4, 2}), (Shape{None, 6, 7, 2}));
  EXPECT_THROW(ZeroPadding2D({.padding = -1}), Error);
  EXPECT_THROW(ZeroPadding2D({.padding = {IntTuple{1, 2, 3}, 1}}), Error);
}

}  // namespace
}  // namespace keras::layers
