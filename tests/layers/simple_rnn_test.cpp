#include "keras/layers/simple_rnn.hpp"

#include <gtest/gtest.h>

#include "keras/layers/dense.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"
#include "layers/rnn.hpp"
#include "recurrent_layer_testing.hpp"

namespace keras::layers {
namespace {

using testing::KerasRecurrentCase;

TEST(SimpleRNN, MatchesKeras) {
  // Outputs of Keras 3.15.1 for the calls of recurrent_layer_testing.hpp.
  const std::vector<KerasRecurrentCase> cases = {
      {"simple_rnn_mask_state",
       true,
       true,
       {{-0.611647129, -0.861868739, -0.611647129, -0.861868739, 0.297667116, 0.21338062,
         -0.513859868, -0.451788783, 0.788575351, 0.686494291, -0.789137781, -0.862001717,
         -0.048453398, -0.212525547, -0.048453398, -0.212525547},
        {-0.513859868, -0.451788783, -0.048453398, -0.212525547}}},
      {"simple_rnn_softsign_backwards_zero_output",
       true,
       false,
       {{-0.342556238, -0.254294693, 0.110624626, -0.107322901, 0, 0, -0.314101696, -0.439309269, 0,
         0, -0.21447067, -0.428306639, -0.437340349, -0.380293101, 0, 0},
        {-0.314101696, -0.439309269, -0.437340349, -0.380293101}}},
  };
  testing::expect_matches_keras(SimpleRNN(2, {.return_sequences = true, .return_state = true}),
                                cases[0]);
  testing::expect_matches_keras(SimpleRNN(2, {.activation = "softsign",
                                              .return_sequences = true,
                                              .return_state = true,
                                              .go_backwards = true,
                                              .zero_output_for_mask = true}),
                                cases[1]);
}

TEST(SimpleRNN, ShapesWeightsAndParameterCounts) {
  backend::clear_session();
  const SimpleRNN rnn(6, {.return_sequences = true});
  EXPECT_EQ(rnn.name(), "simple_rnn");
  EXPECT_EQ(rnn.compute_output_shape(Shape{None, 9, 5}), (Shape{None, 9, 6}));
  rnn.impl().maybe_build({Shape{None, 9, 5}});
  EXPECT_EQ(rnn.count_params(), 6 * (5 + 6 + 1));
  const auto w = rnn.weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].shape(), (Shape{5, 6}));
  EXPECT_EQ(w[1].shape(), (Shape{6, 6}));
  EXPECT_EQ(w[2].shape(), (Shape{6}));
  EXPECT_EQ(w[1].path(), "simple_rnn/simple_rnn_cell/recurrent_kernel");
  EXPECT_EQ(rnn.impl().sublayers().at(0)->name(), "simple_rnn_cell");
  EXPECT_EQ(rnn.impl().sublayers().at(0)->class_name(), "SimpleRNNCell");
}

TEST(SimpleRNN, TheRecurrentKernelStartsOrthogonal) {
  const SimpleRNN rnn(5);
  rnn.impl().maybe_build({Shape{None, 3, 2}});
  const Tensor r = rnn.get_weights()[1];
  const auto product = ops::matmul(ops::transpose(r), r).to_vector<float>();
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) EXPECT_NEAR(product[i * 5 + j], i == j ? 1.0f : 0.0f, 1e-5);
  }
}

TEST(SimpleRNN, FitTakesTheStepsKerasTakes) {
  // Keras 3.15.1: Sequential([Input((4, 3)), SimpleRNN(2), Dense(1)]) with
  // the weights wave(shape, 2 + k, 0.6), SGD(0.5), mse, x = wave((4, 4, 3),
  // 0, 1), y = wave((4, 1), 0.5, 0.7), fit(batch_size=4, epochs=3, shuffle=False).
  backend::clear_session();
  Sequential model({Input({4, 3}), SimpleRNN(2), Dense(1)});
  std::vector<Tensor> weights;
  int k = 0;
  for (const Tensor& w : model.get_weights())
    weights.push_back(testing::wave(w.shape(), 2.0 + k++, 0.6));
  model.set_weights(weights);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.5}), .loss = "mse"});
  const History h =
      model.fit(testing::wave(Shape{4, 4, 3}, 0.0, 1.0), testing::wave(Shape{4, 1}, 0.5, 0.7),
                {.batch_size = 4, .epochs = 3, .verbose = 0, .shuffle = false});
  const std::vector<double> losses = {0.196814194, 0.0653792843, 0.0380229726};
  ASSERT_EQ(h["loss"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(h["loss"][i], losses[i], 2e-6);
  const std::vector<std::vector<double>> expected = {
      {0.422802269, 0.34248507, 0.111478359, -0.0406207852, -0.305865318, -0.425576985},
      {0.132065356, -0.122391738, -0.263081163, -0.445764691},
      {-0.6200369, -0.629868746},
      {-0.563689291, -0.553475022},
      {0.182042614}};
  const auto got = model.get_weights();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto v = got[i].to_vector<double>();
    ASSERT_EQ(v.size(), expected[i].size());
    for (std::size_t j = 0; j < v.size(); ++j)
      EXPECT_NEAR(v[j], expected[i][j], 2e-6) << i << "/" << j;
  }
}

TEST(SimpleRNN, DropoutIsOneMaskForAllSteps) {
  // One input mask (batch, features) reused at every step: with an input of
  // equal steps and no recurrence, every step sees the same dropped input.
  const SimpleRNN rnn(3, {.use_bias = false, .dropout = 0.5, .return_sequences = true, .seed = 1});
  rnn.impl().maybe_build({Shape{None, 4, 6}});
  rnn.set_weights({rnn.get_weights()[0], Tensor::zeros(Shape{3, 3})});
  const Tensor x = ops::broadcast_to(testing::wave(Shape{2, 1, 6}, 0.4, 1.0), Shape{2, 4, 6});
  const auto y = rnn(x, true).to_vector<float>();
  for (int b = 0; b < 2; ++b) {
    for (int t = 1; t < 4; ++t) {
      for (int u = 0; u < 3; ++u) EXPECT_EQ(y[(b * 4 + t) * 3 + u], y[(b * 4) * 3 + u]);
    }
  }
  EXPECT_NE(rnn(x, true).to_vector<float>(), rnn(x).to_vector<float>());
}

TEST(SimpleRNN, FromKerasConfig) {
  // keras.saving.serialize_keras_object(SimpleRNN(4, activation="relu",
  // return_state=True, unroll=True, name="my_rnn")) after build((None, 6, 2)).
  const json object = json::parse(
      R"({"module": "keras.layers", "class_name": "SimpleRNN", "config": {"name": "my_rnn", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "return_sequences": false, "return_state": true, "go_backwards": false, "stateful": false, "unroll": true, "zero_output_for_mask": false, "units": 4, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0}, "registered_name": null, "build_config": {"input_shape": [null, 6, 2]}})");
  const auto layer = layer_from_config(object);
  EXPECT_EQ(layer->name(), "my_rnn");
  EXPECT_EQ(layer->count_params(), 28);  // Keras' count_params()
  const RecurrentConfig& c = recurrent_config(*layer);
  EXPECT_EQ(c.activation, "relu");
  EXPECT_TRUE(c.unroll);
  EXPECT_EQ(layer->compute_output_shape({Shape{None, 6, 2}}),
            (std::vector<Shape>{{None, 4}, {None, 4}}));
}

}  // namespace
}  // namespace keras::layers
