// The helpers every layer's explanation is written with.
#include "layers/layer_explain_writer.hpp"

#include <gtest/gtest.h>

#include "keras/keras.hpp"

namespace {

namespace L = keras::layers;
namespace d = keras::detail;
using keras::None;
using keras::Shape;
using Names = std::vector<std::string>;

TEST(ExplainWriter, AxisNamesFollowTheRank) {
  EXPECT_EQ(d::axis_names(Shape{None, 5}, {"c"}), (Names{"b", "c"}));
  EXPECT_EQ(d::axis_names(Shape{None, 20, 5}, {"c"}), (Names{"b", "t", "c"}));
  EXPECT_EQ(d::axis_names(Shape{None, 28, 28, 3}, {"c"}), (Names{"b", "h", "w", "c"}));
  EXPECT_EQ(d::axis_names(Shape{None, 4, 28, 28, 3}, {"c"}), (Names{"b", "d", "h", "w", "c"}));
  EXPECT_EQ(d::axis_names(Shape{None, 2, 3, 4, 5, 6}, {"c"}),
            (Names{"b", "i", "j", "k", "l", "c"}));
  EXPECT_EQ(d::feature_axes(Shape{None}), (Names{"b"}));
  EXPECT_EQ(d::channel_axes(Shape{None, 3, 28, 28}, 1), (Names{"b", "c", "h", "w"}));
  EXPECT_THROW(d::axis_names(Shape{None}, {"c"}), keras::Error);
}

TEST(ExplainWriter, IndicesPositionsAndNumbers) {
  EXPECT_EQ(d::indexed("x", {"b", "t", "c"}), "x[b,t,c]");
  EXPECT_EQ(d::row_major({"i", "j", "k"}, {28, 28, 3}), "i*84 + j*3 + k");
  EXPECT_EQ(d::positions(Shape{None, 20, 5}, 1, 2), "20 positions");
  EXPECT_EQ(d::positions(Shape{None, 28, 28, 3}, 1, 3), "28 x 28 = 784 positions");
  EXPECT_EQ(d::positions(Shape{None, None, 5}, 1, 2), "any number of positions (None)");
  EXPECT_EQ(d::shared_over_positions("kernel", Shape{None, 5}), "");
  EXPECT_EQ(d::shared_over_positions("kernel", Shape{None, None, 5}),
            "the same kernel is used at every position, however many (None)");
  EXPECT_EQ(d::with_commas(1234567), "1,234,567");
  EXPECT_EQ(d::with_commas(60), "60");
  EXPECT_EQ(d::number(0.25), "0.25");
  EXPECT_EQ(d::number(1.0 / 255), "1/255");
  EXPECT_EQ(d::number(2.0), "2.0");
  EXPECT_EQ(d::number(1e-7), "1e-07");
  EXPECT_EQ(d::activated("linear", "z"), "z");
  EXPECT_EQ(d::activated("relu", "z"), "relu(z)");
  EXPECT_EQ(d::activation_formula("softmax", "x", {"b", "c"}), "exp(x[b,c]) / sum_c' exp(x[b,c'])");
}

TEST(ExplainWriter, ParameterLineMarksNonTrainableWeights) {
  keras::backend::clear_session();
  keras::Sequential model({keras::Input({4, 3}), L::BatchNormalization()});
  const auto layer = model.layers().at(0).ptr();
  const d::ExplainWriter w = d::explain_calls(*layer, d::layer_calls(*layer));
  EXPECT_EQ(w.text(),
            "batch_normalization (BatchNormalization): (None, 4, 3) -> (None, 4, 3)\n"
            "  y[b,t,c] = gamma[c] * (x[b,t,c] - mean[c]) / sqrt(var[c] + 0.001) + beta[c]\n"
            "  normalises each of the 3 channels (c) over b, t: while training, mean and var "
            "are the batch's; at inference, moving_mean and moving_variance\n"
            "  moving_mean and moving_variance are not trained by the optimizer: each training "
            "step moves them towards the batch's statistics (momentum 0.99); they are saved "
            "with the weights\n"
            "  params: gamma (3,) = 3 + beta (3,) = 3 + moving_mean (3,) = 3 (non-trainable) + "
            "moving_variance (3,) = 3 (non-trainable) -> 12\n");
  // Indented as a sub-block.
  EXPECT_EQ(w.text(4).substr(0, 24), "    batch_normalization ");
}

TEST(ExplainWriter, FrozenLayersAndSharedLayers) {
  keras::backend::clear_session();
  auto a = keras::Input({5});
  auto b = keras::Input({5});
  L::Dense shared(2, {.trainable = false});
  keras::Model model({a, b}, L::Add()({shared(a), shared(b)}));
  const std::string text = model.explain_string();
  EXPECT_NE(text.find("dense (Dense): (None, 5) -> (None, 2)\n"
                      "  y[b,u] = sum_c x[b,c] * kernel[c,u] + bias[u]\n"
                      "  contracts the last axis (5 -> 2)\n"
                      "  called 2 times, with the same weights each time: (None, 5) -> (None, 2), "
                      "then (None, 5) -> (None, 2)\n"
                      "  params: kernel (5, 2) = 10 (non-trainable) + bias (2,) = 2 "
                      "(non-trainable) -> 12\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Total params: 12 (trainable: 0, non-trainable: 12)\n"), std::string::npos);
}

TEST(ExplainWriter, NestedModelsExplainTheirLayersIndented) {
  keras::backend::clear_session();
  keras::Sequential inner({keras::Input({4}), L::Dense(3, {.name = "inner_dense"})},
                          {.name = "inner"});
  auto x = keras::Input({4});
  keras::Model outer(x, L::Dense(2, {.name = "head"})(inner(x)), {.name = "outer"});
  EXPECT_EQ(outer.explain_string(),
            "Model: \"outer\" (Functional): (None, 4) -> (None, 2)\n"
            "\n"
            "input_layer_1 (InputLayer): (None, 4)\n"
            "  x[b,c]: the model's input, float32\n"
            "  axes: b: batch (any size), c: 4\n"
            "  params: none\n"
            "\n"
            "inner (Sequential): (None, 4) -> (None, 3)\n"
            "  a Sequential model used as a layer: its 1 layer runs one after another\n"
            "    inner_dense (Dense): (None, 4) -> (None, 3)\n"
            "      y[b,u] = sum_c x[b,c] * kernel[c,u] + bias[u]\n"
            "      contracts the last axis (4 -> 3)\n"
            "      params: kernel (4, 3) = 12 + bias (3,) = 3 -> 15\n"
            "  params: inner_dense: 15\n"
            "\n"
            "head (Dense): (None, 3) -> (None, 2)\n"
            "  y[b,u] = sum_c x[b,c] * kernel[c,u] + bias[u]\n"
            "  contracts the last axis (3 -> 2)\n"
            "  params: kernel (3, 2) = 6 + bias (2,) = 2 -> 8\n"
            "\n"
            "Total params: 23 (trainable: 23, non-trainable: 0)\n");
}

TEST(ExplainWriter, UnbuiltSequentialSaysSo) {
  keras::backend::clear_session();
  keras::Sequential model;
  model.add(L::Dense(2));
  EXPECT_EQ(model.explain_string(),
            "Model: \"sequential\" (Sequential): no input shape yet\n"
            "\n"
            "dense (Dense): not called yet: kerascpp explains a layer once it knows its input "
            "shape\n"
            "\n"
            "Total params: 0 (trainable: 0, non-trainable: 0)\n");
}

}  // namespace
