// Regularizers and constraints in layers and training, as Keras: layer.losses,
// the penalties added to the loss of fit/evaluate/train_on_batch, and the
// constraints applied after each optimizer step.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/optimizers/sgd.hpp"
#include "keras/utils.hpp"

namespace keras {
namespace {

namespace L = layers;

double scalar(const Tensor& t) { return t.item<double>(); }

TEST(LayerLosses, WeightPenaltiesFollowTheWeightsValues) {
  L::Dense dense(2, {.kernel_initializer = "ones",
                     .kernel_regularizer = regularizers::L2(0.5),
                     .bias_regularizer = "l1"});
  dense(Tensor::zeros(Shape{1, 3}));
  auto losses = dense.losses();
  ASSERT_EQ(losses.size(), 2u);  // kernel, then bias (trainable_weights order)
  EXPECT_NEAR(scalar(losses[0]), 0.5 * 6, 1e-6);
  EXPECT_NEAR(scalar(losses[1]), 0.0, 1e-9);
  Variable bias = dense.weights()[1];
  bias.assign(Tensor({2}, {1, -3}));
  EXPECT_NEAR(scalar(dense.losses()[1]), 0.01 * 4, 1e-7);
  // A frozen layer's weights are not penalised (Keras: trainable_weights only).
  dense.set_trainable(false);
  EXPECT_TRUE(dense.losses().empty());
}

TEST(LayerLosses, AModelGathersItsLayersLosses) {
  backend::clear_session();
  auto x = Input({2});
  auto h = L::Dense(2, {.kernel_initializer = "ones",
                        .kernel_regularizer = regularizers::L1(1.0),
                        .activity_regularizer = regularizers::L1(1.0)})(x);
  auto y = L::ActivityRegularization(0.0, 1.0)(h);
  Model model(x, y);
  model(Tensor({2, 2}, {1, 0, 0, 2}));  // h = [[1, 1], [2, 2]]
  const auto losses = model.losses();
  ASSERT_EQ(losses.size(), 3u);
  EXPECT_NEAR(scalar(losses[0]), 6.0 / 2, 1e-5);   // Dense activity: sum |h| / batch
  EXPECT_NEAR(scalar(losses[1]), 10.0 / 2, 1e-5);  // ActivityRegularization: sum h^2 / batch
  EXPECT_NEAR(scalar(losses[2]), 4.0, 1e-5);       // the kernel's L1
  model.impl().clear_losses();
  EXPECT_EQ(model.losses().size(), 1u);  // the weight penalty stays
}

// A one-weight model, y = w * x, so the numbers are easy to follow.
Model scaling_model(L::DenseOptions options) {
  backend::clear_session();
  options.use_bias = false;
  options.kernel_initializer = initializers::Constant(2.0);
  return Sequential({Input({1}), L::Dense(1, options)});
}

TEST(Training, PenaltiesJoinTheLossOfEveryStep) {
  Model model = scaling_model({.kernel_regularizer = regularizers::L2(0.1)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const Tensor x({1, 1}, {1}), y({1, 1}, {1});
  // mse (2 - 1)^2 = 1, plus 0.1 * 2^2.
  EXPECT_NEAR(model.test_on_batch({x}, {y})[0], 1.4, 1e-6);
  EXPECT_NEAR(model.evaluate(x, y, {.verbose = 0})[0], 1.4, 1e-6);
  // The step's gradient: 2 (w - 1) + 0.2 w = 2.4; w = 2 - 0.24.
  EXPECT_NEAR(model.train_on_batch({x}, {y})[0], 1.4, 1e-6);
  EXPECT_NEAR(model.get_weights()[0].item<double>(), 1.76, 1e-6);
}

TEST(Training, ActivityPenaltiesAreCollectedPerCall) {
  Model model = scaling_model({.activity_regularizer = regularizers::L1(1.0)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const Tensor x({2, 1}, {1, 3}), y({2, 1}, {2, 6});  // a perfect fit: mse 0
  // sum |y_pred| / batch = (2 + 6) / 2.
  EXPECT_NEAR(model.test_on_batch({x}, {y})[0], 4.0, 1e-6);
  const History history = model.fit(x, y, {.batch_size = 2, .epochs = 1, .verbose = 0});
  EXPECT_NEAR(history.history.at("loss")[0], 4.0, 1e-6);
  // d/dw of (|w| + 3|w|) / 2 = 2: w = 2 - 0.1 * 2.
  EXPECT_NEAR(model.get_weights()[0].item<double>(), 1.8, 1e-6);
}

TEST(Training, ConstraintsRunAfterEachOptimizerStep) {
  Model model = scaling_model({.kernel_constraint = constraints::MaxNorm(1.5)});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const Tensor x({1, 1}, {1}), y({1, 1}, {10});
  model.train_on_batch({x}, {y});  // w = 2 + 0.1 * 2 * 8 = 3.6, then clipped to 1.5
  EXPECT_NEAR(model.get_weights()[0].item<double>(), 1.5, 1e-5);
  Model non_neg = scaling_model({.kernel_constraint = "non_neg"});
  non_neg.compile({.optimizer = optimizers::SGD({.learning_rate = 1.0}), .loss = "mse"});
  non_neg.train_on_batch({x}, {Tensor({1, 1}, {-10})});
  EXPECT_EQ(non_neg.get_weights()[0].item<double>(), 0.0);
}

TEST(Training, BatchNormalizationUpdatesItsMovingStatisticsInFit) {
  backend::clear_session();
  Sequential model({Input({2}), L::BatchNormalization({.momentum = 0.5})});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.0}), .loss = "mse"});
  const Tensor x({2, 2}, {1, 2, 3, 6});
  model.fit(x, x, {.batch_size = 2, .epochs = 1, .verbose = 0, .shuffle = false});
  const auto weights = model.get_weights();
  ASSERT_EQ(weights.size(), 4u);
  EXPECT_EQ(weights[2].to_vector<float>(), (std::vector<float>{1, 2}));    // 0.5 * 0 + 0.5 * mean
  EXPECT_EQ(weights[3].to_vector<float>(), (std::vector<float>{1, 2.5}));  // 0.5 * 1 + 0.5 * var
  // evaluate and predict use them, and leave them alone.
  model.evaluate(x, x, {.verbose = 0});
  model.predict(x);
  EXPECT_EQ(model.get_weights()[2].to_vector<float>(), (std::vector<float>{1, 2}));
}

}  // namespace
}  // namespace keras
