#include "keras/layers/batch_normalization.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

std::vector<float> values(const Variable& v) { return v.value().to_vector<float>(); }

TEST(BatchNormalization, WeightsAreGammaBetaThenTheFrozenMovingStatistics) {
  backend::clear_session();
  BatchNormalization bn;
  bn.impl().maybe_build({Shape{None, 5, 3}});
  const auto weights = bn.weights();
  ASSERT_EQ(weights.size(), 4u);
  const char* names[] = {"gamma", "beta", "moving_mean", "moving_variance"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(weights[i].name(), names[i]);
    EXPECT_EQ(weights[i].path(), std::string("batch_normalization/") + names[i]);
    EXPECT_EQ(weights[i].shape(), (Shape{3}));
  }
  EXPECT_EQ(bn.count_params(), 12);
  EXPECT_EQ(bn.trainable_weights().size(), 2u);
  EXPECT_EQ(bn.non_trainable_weights().size(), 2u);
  EXPECT_EQ(values(weights[0]), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(values(weights[3]), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(bn.compute_output_shape(Shape{None, 5, 3}), (Shape{None, 5, 3}));

  BatchNormalization plain({.center = false, .scale = false});
  plain.impl().maybe_build({Shape{None, 4}});
  EXPECT_EQ(plain.weights().size(), 2u);
  EXPECT_EQ(plain.trainable_weights().size(), 0u);
}

TEST(BatchNormalization, TrainingUsesBatchStatisticsAndUpdatesTheMovingOnes) {
  BatchNormalization bn({.momentum = 0.5, .epsilon = 0.0});
  // Two channels: (1, 3) has mean 2 and variance 1; (2, 6) mean 4, variance 4.
  const Tensor x({2, 2}, {1, 2, 3, 6});
  const Tensor y = bn(x, /*training=*/true);
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-1, -1, 1, 1}));
  const auto w = bn.weights();
  // moving = moving * 0.5 + batch * 0.5, from mean 0 and variance 1.
  EXPECT_EQ(values(w[2]), (std::vector<float>{1, 2}));
  EXPECT_EQ(values(w[3]), (std::vector<float>{1, 2.5}));
  // Inference uses the moving statistics: (x - 1) / 1 and (x - 2) / sqrt(2.5).
  const Tensor z = bn(x);
  const std::vector<float> got = z.to_vector<float>();
  EXPECT_FLOAT_EQ(got[0], 0.0f);
  EXPECT_FLOAT_EQ(got[1], 0.0f);
  EXPECT_FLOAT_EQ(got[2], 2.0f);
  EXPECT_FLOAT_EQ(got[3], 4.0f / std::sqrt(2.5f));
  EXPECT_EQ(values(w[2]), (std::vector<float>{1, 2}));  // inference changes nothing
}

TEST(BatchNormalization, AFrozenLayerRunsInInferenceModeEvenWhenTraining) {
  BatchNormalization bn({.epsilon = 0.0, .trainable = false});
  const Tensor x({2, 1}, {1, 3});
  const Tensor y = bn(x, /*training=*/true);
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, 3}));  // moving mean 0, variance 1
  EXPECT_EQ(values(bn.weights()[2]), (std::vector<float>{0}));
  EXPECT_EQ(bn.trainable_weights().size(), 0u);
}

TEST(BatchNormalization, AxisOneNormalisesChannelsFirst) {
  BatchNormalization bn({.axis = 1, .epsilon = 0.0});
  // (batch 1, channels 2, 2 positions): each channel over its positions.
  const Tensor x({1, 2, 2}, {1, 3, 10, 30});
  const Tensor y = bn(x, true);
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-1, 1, -1, 1}));
  EXPECT_EQ(bn.weights()[0].shape(), (Shape{2}));
}

TEST(BatchNormalization, MaskedPositionsDoNotCountInTheStatistics) {
  BatchNormalization bn({.momentum = 0.0, .epsilon = 0.0});
  const Tensor x({1, 3, 1}, {1, 3, 100});
  CallContext ctx;
  ctx.training = true;
  ctx.masks = {Tensor(Shape{1, 3}, std::vector<bool>{true, true, false})};
  const Tensor y = bn.impl().apply({x}, ctx)[0];
  const auto got = y.to_vector<float>();
  // Mean 2 and variance 1 over the two kept steps (Keras adds 1e-7 to the count).
  EXPECT_NEAR(got[0], -1.0f, 1e-5);
  EXPECT_NEAR(got[1], 1.0f, 1e-5);
  EXPECT_NEAR(values(bn.weights()[2])[0], 2.0f, 1e-5);
  EXPECT_THROW(
      bn.impl().apply({x}, CallContext{true, {Tensor(Shape{1, 3, 1}, std::vector<bool>{1, 1, 1})}}),
      Error);
}

TEST(BatchNormalization, GradientsFlowThroughTheBatchStatistics) {
  BatchNormalization bn;
  const Tensor x({3, 2}, {1, 2, 3, 5, 8, 13});
  bn(x);  // build
  GradientTape tape;
  tape.watch(x);
  const Tensor y = bn(x, true);
  // The normalised batch sums to 0 per channel whatever x is: d(sum y)/dx = 0.
  const Tensor g = tape.gradient(ops::sum(y), {x})[0];
  for (float v : g.to_vector<float>()) EXPECT_NEAR(v, 0.0f, 1e-5);
}

TEST(BatchNormalization, RenormAddsItsStatisticsAndCorrectsTowardsThem) {
  backend::clear_session();
  BatchNormalization bn({.epsilon = 0.0,
                         .renorm = true,
                         .renorm_clipping = RenormClipping{.rmax = 1.0, .rmin = 1.0, .dmax = 0.0}});
  const Tensor x({2, 1}, {1, 3});
  const Tensor y = bn(x, true);
  const auto w = bn.weights();
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[4].name(), "moving_stddev");
  EXPECT_EQ(w[5].name(), "renorm_mean");
  EXPECT_EQ(w[6].name(), "renorm_stddev");
  EXPECT_EQ(bn.count_params(), 7);
  // r clipped to 1 and d to 0: plain batch normalization.
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-1, 1}));
  EXPECT_NEAR(values(w[5])[0], 0.02f, 1e-6);  // renorm_mean: 0 * 0.99 + 2 * 0.01
  EXPECT_THROW(BatchNormalization({.renorm_clipping = RenormClipping{.rmax = 1, .rmin = 2}}),
               Error);
}

TEST(BatchNormalization, ErrorsNameTheLayerAndShapes) {
  backend::clear_session();
  BatchNormalization bn({.axis = 3});
  const std::string message = testing::error_message([&] {
    bn.compute_output_shape(Shape{None, 4});
  });
  EXPECT_NE(message.find("BatchNormalization \"batch_normalization\": axis 3 is out of bounds"),
            std::string::npos)
      << message;
  BatchNormalization built;
  built(Tensor::zeros(Shape{2, 3}));
  const std::string channels = testing::error_message([&] { built(Tensor::zeros(Shape{2, 4})); });
  EXPECT_NE(channels.find("expected axis -1 of input shape to have value 3"), std::string::npos)
      << channels;
  EXPECT_THROW(built(Tensor::zeros(Shape{2, 1, 3})), Error);  // another rank
}

TEST(BatchNormalization, ReadsKerasConfig) {
  const json object = json::parse(R"({"module": "keras.layers", "class_name": "BatchNormalization",
    "config": {"name": "bn", "trainable": true, "dtype": {"module": "keras", "class_name":
    "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "axis": -1,
    "momentum": 0.9, "epsilon": 0.01, "center": true, "scale": false,
    "beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
    "registered_name": null}, "gamma_initializer": {"module": "keras.initializers", "class_name":
    "Ones", "config": {}, "registered_name": null}, "moving_mean_initializer": {"module":
    "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
    "moving_variance_initializer": {"module": "keras.initializers", "class_name": "Ones",
    "config": {}, "registered_name": null}, "beta_regularizer": {"module": "keras.regularizers",
    "class_name": "L2", "config": {"l2": 0.5}, "registered_name": null}, "gamma_regularizer":
    null, "beta_constraint": null, "gamma_constraint": null, "synchronized": false, "renorm":
    true, "renorm_clipping": {"rmax": 2.0, "dmax": 1.0}, "renorm_momentum": 0.5},
    "registered_name": null, "build_config": {"input_shape": [null, 3]}})");
  const Layer bn(layer_from_config(object));
  EXPECT_EQ(bn.name(), "bn");
  const auto w = bn.weights();
  ASSERT_EQ(w.size(), 6u);  // beta, moving_mean, moving_variance + three renorm weights
  EXPECT_EQ(w[0].name(), "beta");
  Variable beta = w[0];
  beta.assign(Tensor({3}, {1, 2, 3}));
  const auto penalties = bn.losses();
  ASSERT_EQ(penalties.size(), 1u);
  EXPECT_NEAR(penalties[0].item<double>(), 0.5 * 14, 1e-5);

  json bad = object;
  bad["config"]["renorm_clipping"] = json::parse(R"({"rmaxx": 1.0})");
  EXPECT_THROW(layer_from_config(bad), Error);
  bad = object;
  bad["config"]["axis"] = json::parse("[1, 2]");
  EXPECT_THROW(layer_from_config(bad), Error);
  bad["config"]["axis"] = json::parse("[1]");  // tf.keras writes a one-element list
  EXPECT_NO_THROW(layer_from_config(bad));
}

}  // namespace
}  // namespace keras::layers
