#include "keras/layers/activity_regularization.hpp"

#include <gtest/gtest.h>

#include "keras/layers/dense.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(ActivityRegularization, PassesInputsAndAddsThePenaltyPerSample) {
  const ActivityRegularization reg(0.1, 0.01);
  const Tensor x({2, 2}, {1, -2, 3, 0});
  EXPECT_EQ(reg(x).to_vector<float>(), x.to_vector<float>());
  const auto losses = reg.losses();
  ASSERT_EQ(losses.size(), 1u);
  // (0.1 * 6 + 0.01 * 14) / batch 2.
  EXPECT_NEAR(losses[0].item<double>(), (0.6 + 0.14) / 2, 1e-6);
  // Each call starts afresh.
  reg(Tensor({1, 1}, {1}));
  ASSERT_EQ(reg.losses().size(), 1u);
  EXPECT_NEAR(reg.losses()[0].item<double>(), 0.11, 1e-6);
  EXPECT_THROW(ActivityRegularization(-1.0), Error);
}

TEST(ActivityRegularization, ALossCollectorGathersEveryCall) {
  const ActivityRegularization reg(1.0);
  LossCollector collected;
  reg(Tensor({1, 1}, {2}));
  reg(Tensor({1, 1}, {-3}));
  ASSERT_EQ(collected.losses().size(), 2u);
  EXPECT_NEAR(collected.losses()[0].item<double>(), 2.0, 1e-6);
  EXPECT_NEAR(collected.losses()[1].item<double>(), 3.0, 1e-6);
  EXPECT_TRUE(reg.losses().empty());  // collected, not kept on the layer
}

TEST(ActivityRegularization, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "ActivityRegularization", "config":
    {"name": "ar", "trainable": true, "dtype": "float32", "l1": 0.5, "l2": 0.0}})");
  const Layer layer(layer_from_config(object));
  layer(Tensor({1, 2}, {1, -1}));
  ASSERT_EQ(layer.losses().size(), 1u);
  EXPECT_NEAR(layer.losses()[0].item<double>(), 1.0, 1e-6);
}

TEST(ActivityRegularization, AnyLayerConfigMayCarryAnActivityRegularizer) {
  const json object = json::parse(R"({"class_name": "Dense", "config": {"name": "d",
    "trainable": true, "dtype": "float32", "units": 1, "activation": "linear", "use_bias": false,
    "kernel_initializer": "ones", "activity_regularizer": {"module": "keras.regularizers",
    "class_name": "L2", "config": {"l2": 1.0}, "registered_name": null}}})");
  const Layer dense(layer_from_config(object));
  dense(Tensor({1, 2}, {1, 2}));  // y = 3
  ASSERT_EQ(dense.losses().size(), 1u);
  EXPECT_NEAR(dense.losses()[0].item<double>(), 9.0, 1e-6);
}

}  // namespace
}  // namespace keras::layers
