#include "keras/layers/layer_normalization.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(LayerNormalization, WeightsHaveTheShapeOfTheNormalisedAxes) {
  LayerNormalization ln;
  ln.impl().maybe_build({Shape{None, 5, 3}});
  ASSERT_EQ(ln.weights().size(), 2u);
  EXPECT_EQ(ln.weights()[0].name(), "gamma");
  EXPECT_EQ(ln.weights()[1].name(), "beta");
  EXPECT_EQ(ln.weights()[0].shape(), (Shape{3}));
  LayerNormalization two({.axis = {-1, 1}});
  two.impl().maybe_build({Shape{None, 5, 3}});
  EXPECT_EQ(two.weights()[0].shape(), (Shape{5, 3}));
  EXPECT_EQ(two.count_params(), 30);
  LayerNormalization rms({.rms_scaling = true});
  rms.impl().maybe_build({Shape{None, 4}});
  ASSERT_EQ(rms.weights().size(), 1u);  // gamma only
}

TEST(LayerNormalization, NormalisesEachSampleOverItsAxes) {
  LayerNormalization ln({.epsilon = 0.0});
  const Tensor x({2, 2}, {1, 3, 10, 30});
  EXPECT_EQ(ln(x).to_vector<float>(), (std::vector<float>{-1, 1, -1, 1}));
  EXPECT_EQ(ln(x, /*training=*/true).to_vector<float>(), (std::vector<float>{-1, 1, -1, 1}));
  // Over axis 1 of (1, 2, 2): each column on its own.
  LayerNormalization middle({.axis = {1}, .epsilon = 0.0});
  const Tensor y = middle(Tensor({1, 2, 2}, {1, 10, 3, 30}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-1, -1, 1, 1}));
  // Axes that are not neighbours normalise jointly: 4 values per sample here.
  LayerNormalization split({.axis = {1, 3}, .epsilon = 0.0, .center = false});
  const Tensor z = split(Tensor({1, 2, 1, 2}, {1, 1, 3, 3}));
  EXPECT_EQ(z.to_vector<float>(), (std::vector<float>{-1, -1, 1, 1}));
}

TEST(LayerNormalization, ErrorsNameTheAxisAndShape) {
  backend::clear_session();
  LayerNormalization ln({.axis = {2}});
  const std::string message = testing::error_message([&] {
    ln.compute_output_shape(Shape{None, 4});
  });
  EXPECT_NE(message.find("LayerNormalization \"layer_normalization\": axis 2 is out of bounds "
                         "for input shape (None, 4)"),
            std::string::npos)
      << message;
  LayerNormalization built;
  built(Tensor::zeros(Shape{1, 3}));
  EXPECT_THROW(built(Tensor::zeros(Shape{1, 4})), Error);
  EXPECT_THROW(LayerNormalization({.axis = {}}), Error);
  EXPECT_THROW(LayerNormalization({.axis = {1, 1}})(Tensor::zeros(Shape{1, 3})), Error);
}

TEST(LayerNormalization, ReadsKerasConfig) {
  const json object = json::parse(R"({"module": "keras.layers", "class_name":
    "LayerNormalization", "config": {"name": "ln", "trainable": true, "dtype": "float32",
    "axis": [-2, -1], "epsilon": 0.001, "center": false, "scale": true, "rms_scaling": false,
    "beta_initializer": "zeros", "gamma_initializer": "ones", "beta_regularizer": null,
    "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": {"module":
    "keras.constraints", "class_name": "NonNeg", "config": {}, "registered_name": null}},
    "registered_name": null, "build_config": {"input_shape": [null, 4, 3]}})");
  const Layer ln(layer_from_config(object));
  ASSERT_EQ(ln.weights().size(), 1u);
  EXPECT_EQ(ln.weights()[0].shape(), (Shape{4, 3}));
  EXPECT_TRUE(ln.impl().weight_constraint(ln.weights()[0]).defined());
  json scalar_axis = object;
  scalar_axis["config"]["axis"] = -1;  // older files
  EXPECT_EQ(Layer(layer_from_config(scalar_axis)).weights()[0].shape(), (Shape{3}));
}

}  // namespace
}  // namespace keras::layers
