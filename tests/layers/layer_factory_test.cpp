// layer_from_config on the layers of the real Keras model.json fixtures, and
// its errors on broken configs.
#include "layers/layer_factory.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

std::vector<std::string> single_layer_cases() {
  std::vector<std::string> out;
  for (const char* prefix :
       {"activation_", "dense_2d", "dense_3d", "dense_4d", "dense_relu", "dropout_", "flatten_",
        "leaky_relu_", "permute_", "relu_layer_", "repeat_vector_", "rescaling_", "reshape_",
        "seed1_", "softmax_", "time_distributed_"}) {
    for (const std::string& name : testing::case_names(prefix)) out.push_back(name);
  }
  return out;
}

class FromConfigFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(FromConfigFixture, RebuildsTheKerasLayer) {
  const auto c = testing::load_case(GetParam());
  if (!c.y.defined()) GTEST_SKIP() << "Keras computed no output for " << GetParam();
  const Layer layer(layer_from_config(c.layer_object));
  EXPECT_TRUE(layer.built());  // from build_config
  testing::check_layer_against_case(layer, c);
}

INSTANTIATE_TEST_SUITE_P(Cases, FromConfigFixture, ::testing::ValuesIn(single_layer_cases()),
                         [](const auto& info) { return info.param; });

json dense_config() {
  return json::parse(R"({"module": "keras.layers", "class_name": "Dense", "config": {
      "name": "d", "trainable": true,
      "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": null},
      "units": 3, "activation": "relu", "use_bias": false,
      "kernel_initializer": {"module": "keras.initializers", "class_name": "Constant",
                             "config": {"value": 2.0}, "registered_name": null},
      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                           "registered_name": null},
      "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null, "quantization_config": null},
      "registered_name": null, "build_config": {"input_shape": [null, 2]}})");
}

TEST(LayerFromConfig, ReadsEveryDenseField) {
  const Layer dense(layer_from_config(dense_config()));
  EXPECT_EQ(dense.name(), "d");
  EXPECT_EQ(dense.count_params(), 6);  // no bias
  EXPECT_EQ(dense.get_weights()[0].to_vector<float>(), std::vector<float>(6, 2.0f));
  EXPECT_EQ(dense(Tensor({1, 2}, {1, -2})).to_vector<float>(), std::vector<float>(3, 0.0f));
}

std::string error_for(const json& object) {
  return testing::error_message([&] { layer_from_config(object); });
}

TEST(LayerFromConfig, UnknownClassListsSupportedOnes) {
  json object = dense_config();
  object["class_name"] = "Densee";
  const std::string message = error_for(object);
  EXPECT_NE(message.find("Unknown layer class \"Densee\""), std::string::npos);
  EXPECT_NE(message.find("Dense, "), std::string::npos);
  EXPECT_NE(message.find("Dropout"), std::string::npos);
  EXPECT_NE(message.find("TimeDistributed"), std::string::npos);
}

TEST(LayerFromConfig, NamesClassAndFieldOnBadValues) {
  json missing = dense_config();
  missing["config"].erase("units");
  EXPECT_EQ(error_for(missing), "Dense config field \"units\" is missing.");
  json wrong = dense_config();
  wrong["config"]["units"] = "3";
  EXPECT_EQ(error_for(wrong), "Dense config field \"units\" must be an integer, got \"3\".");
  json flag = dense_config();
  flag["config"]["use_bias"] = 1;
  EXPECT_NE(error_for(flag).find("Dense config field \"use_bias\" must be true or false"),
            std::string::npos);
  json regularized = dense_config();
  regularized["config"]["kernel_regularizer"] = json::parse(R"({"class_name": "L3"})");
  EXPECT_NE(error_for(regularized).find("\"kernel_regularizer\""), std::string::npos);
  json policy = dense_config();
  policy["config"]["dtype"]["config"]["name"] = "mixed_float16";
  EXPECT_NE(error_for(policy).find("mixed_float16"), std::string::npos);
  json initializer = dense_config();
  initializer["config"]["kernel_initializer"]["class_name"] = "GlorotUniformm";
  EXPECT_NE(error_for(initializer).find("GlorotUniformm"), std::string::npos);
  json seed = dense_config();
  seed["config"]["kernel_initializer"] =
      json::parse(R"({"class_name": "HeNormal", "config": {"seed": "x"}})");
  EXPECT_NE(error_for(seed).find("\"seed\""), std::string::npos);
  EXPECT_THROW(layer_from_config(json::array()), Error);
}

TEST(LayerFromConfig, ReadsInitializerConfigs) {
  json object = dense_config();
  object["config"]["kernel_initializer"] = json::parse(
      R"({"class_name": "VarianceScaling", "config": {"seed": 4, "scale": 2.0, "mode": "fan_out",
          "distribution": "uniform", "input_axes": null, "output_axes": null}})");
  const Layer a(layer_from_config(object));
  const Layer b(layer_from_config(object));
  EXPECT_EQ(a.get_weights()[0].to_vector<float>(), b.get_weights()[0].to_vector<float>());
  const double limit = std::sqrt(3.0 * 2.0 / 3.0);  // fan_out = 3
  for (float v : a.get_weights()[0].to_vector<float>()) EXPECT_LE(std::abs(v), limit);
  object["config"]["kernel_initializer"] = "ones";  // a plain name, as older files have
  EXPECT_EQ(Layer(layer_from_config(object)).get_weights()[0].to_vector<float>(),
            std::vector<float>(6, 1.0f));
}

TEST(LayerFromConfig, MergeLayersBuildFromAListOfShapes) {
  const json object = json::parse(R"({"class_name": "Concatenate", "config": {"name": "c",
      "trainable": true, "axis": 1}, "build_config": {"input_shape": [[null, 2], [null, 3]]}})");
  const Layer concat(layer_from_config(object));
  EXPECT_TRUE(concat.built());
  EXPECT_EQ(concat.impl().build_shapes().size(), 2u);
  const json bad = json::parse(R"({"class_name": "Add", "config": {"name": "a"},
      "build_config": {"input_shape": [[null, 2], [null, 3]]}})");
  EXPECT_THROW(layer_from_config(bad), Error);
}

TEST(LayerFromConfig, InputLayer) {
  const json object = json::parse(R"({"class_name": "InputLayer", "config": {
      "batch_shape": [null, 4, 6], "dtype": "float32", "sparse": false, "ragged": false,
      "name": "input_layer_9", "optional": false}})");
  const Layer input(layer_from_config(object));
  EXPECT_EQ(input.name(), "input_layer_9");
  EXPECT_EQ(input.class_name(), "InputLayer");
}

}  // namespace
}  // namespace keras::layers
