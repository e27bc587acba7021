// Conv2D: Keras' shapes, weights and parameter counts, values worked out by
// hand, from-config, and errors. (Numbers against real Keras for every
// option are in tests/conv, from tests/fixtures/conv.)
#include "keras/layers/conv2d.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

TEST(Conv2D, ShapesWeightsAndParameterCounts) {
  backend::clear_session();
  const Conv2D conv(32, 3, {.activation = "relu"});
  EXPECT_EQ(conv.name(), "conv2d");
  EXPECT_EQ(conv.compute_output_shape(Shape{None, 28, 28, 1}), (Shape{None, 26, 26, 32}));
  conv.impl().maybe_build({Shape{None, 28, 28, 1}});
  EXPECT_EQ(conv.count_params(), 320);  // 3*3*1*32 + 32
  ASSERT_EQ(conv.weights().size(), 2u);
  EXPECT_EQ(conv.weights()[0].name(), "kernel");
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 3, 1, 32}));
  EXPECT_EQ(conv.weights()[1].name(), "bias");
  EXPECT_EQ(conv.weights()[1].shape(), (Shape{32}));
}

TEST(Conv2D, OutputShapesForEachOption) {
  // "same": ceil(size / stride); "valid": floor((size - extent) / stride) + 1.
  EXPECT_EQ(Conv2D(4, {3, 2}, {.strides = 2, .padding = "same"})
                .compute_output_shape(Shape{None, 7, 9, 3}),
            (Shape{None, 4, 5, 4}));
  EXPECT_EQ(Conv2D(3, 3, {.dilation_rate = 2}).compute_output_shape(Shape{None, 9, 8, 2}),
            (Shape{None, 5, 4, 3}));
  EXPECT_EQ(Conv2D(4, 3, {.strides = 2, .data_format = "channels_first"})
                .compute_output_shape(Shape{None, 3, 7, 6}),
            (Shape{None, 4, 3, 2}));
  EXPECT_EQ(Conv2D(4, 3).compute_output_shape(Shape{None, None, 6, 3}), (Shape{None, None, 4, 4}));
  EXPECT_EQ(Conv2D(4, 3, {.padding = "SAME"}).compute_output_shape(Shape{2, 5, 5, 3}),
            (Shape{2, 5, 5, 4}));  // padding is case-insensitive, as Keras
}

TEST(Conv2D, GroupsSplitTheKernel) {
  const Conv2D conv(6, 3, {.groups = 2});
  conv.impl().maybe_build({Shape{None, 6, 6, 4}});
  EXPECT_EQ(conv.weights()[0].shape(), (Shape{3, 3, 2, 6}));
  EXPECT_EQ(conv.count_params(), 3 * 3 * 2 * 6 + 6);
}

TEST(Conv2D, ComputesACrossCorrelationWithAsymmetricSamePadding) {
  // 1 channel 3x4 image, 2x2 kernel [[1, 2], [3, 4]], "same": the extra
  // padding row and column go after (bottom, right), as TensorFlow/JAX.
  const Conv2D conv(1, 2, {.padding = "same", .use_bias = false});
  conv.impl().maybe_build({Shape{None, 3, 4, 1}});
  conv.set_weights({Tensor({2, 2, 1, 1}, {1, 2, 3, 4})});
  const Tensor x({1, 3, 4, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const Tensor y = conv(x);
  ASSERT_EQ(y.shape(), (Shape{1, 3, 4, 1}));
  // y[0][0] = 1*1 + 2*2 + 5*3 + 6*4; the last column sees zeros on its right.
  EXPECT_EQ(y.to_vector<float>(),
            (std::vector<float>{44, 54, 64, 28, 84, 94, 104, 44, 29, 32, 35, 12}));
}

TEST(Conv2D, BiasAndActivation) {
  const Conv2D conv(2, 1, {.activation = "relu"});
  conv.impl().maybe_build({Shape{None, 1, 2, 1}});
  conv.set_weights({Tensor({1, 1, 1, 2}, {1, -1}), Tensor({2}, {0.5f, 0.25f})});
  const Tensor y = conv(Tensor({1, 1, 2, 1}, {1, -2}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1.5f, 0, 0, 2.25f}));
}

TEST(Conv2D, FromKerasConfig) {
  const auto object = nlohmann::ordered_json::parse(R"({"module": "keras.layers",
    "class_name": "Conv2D", "config": {"name": "c", "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}},
    "filters": 6, "kernel_size": [3, 2], "strides": [2, 1], "padding": "same",
    "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 2,
    "activation": "tanh", "use_bias": false,
    "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal",
                           "config": {"seed": 3}},
    "bias_initializer": "zeros", "kernel_regularizer": null, "bias_regularizer": null,
    "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
    "build_config": {"input_shape": [null, 7, 5, 4]}})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.class_name(), "Conv2D");
  EXPECT_EQ(layer.name(), "c");
  ASSERT_EQ(layer.weights().size(), 1u);  // use_bias false
  EXPECT_EQ(layer.weights()[0].shape(), (Shape{3, 2, 2, 6}));
  EXPECT_EQ(layer.compute_output_shape(Shape{None, 7, 5, 4}), (Shape{None, 4, 5, 6}));
}

TEST(Conv2D, ErrorsNameTheProblem) {
  EXPECT_NE(error_message([] { Conv2D(0, 3); }).find("filters"), std::string::npos);
  EXPECT_NE(error_message([] { Conv2D(5, 3, {.groups = 2}); }).find("divisible"),
            std::string::npos);
  EXPECT_NE(error_message([] { Conv2D(4, {3, 3, 3}); }).find("kernel_size"), std::string::npos);
  EXPECT_NE(
      error_message([] { Conv2D(4, 3, {.strides = 2, .dilation_rate = 2}); }).find("dilation_rate"),
      std::string::npos);
  EXPECT_NE(error_message([] { Conv2D(4, 3, {.padding = "causal"}); }).find("padding"),
            std::string::npos);
  EXPECT_NE(error_message([] { Conv2D(4, 3, {.data_format = "nhwc"}); }).find("data_format"),
            std::string::npos);
  EXPECT_THROW(Conv2D(4, 3, {.activation = "nope"}), Error);

  const Conv2D conv(4, 3);
  // Rank, too-small inputs, and channels other than the built ones.
  EXPECT_NE(error_message([&] {
              conv.compute_output_shape(Shape{None, 5, 3});
            }).find("rank 4"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              conv.compute_output_shape(Shape{None, 2, 5, 3});
            }).find("zero or negative"),
            std::string::npos);
  conv.impl().maybe_build({Shape{None, 5, 5, 3}});
  EXPECT_NE(error_message([&] {
              conv(Tensor::zeros(Shape{1, 5, 5, 2}));
            }).find("3 channels"),
            std::string::npos);
  const Conv2D grouped(4, 3, {.groups = 2});
  EXPECT_NE(error_message([&] {
              grouped.impl().maybe_build({Shape{None, 5, 5, 3}});
            }).find("groups"),
            std::string::npos);
}

}  // namespace
}  // namespace keras::layers
