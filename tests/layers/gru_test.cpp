#include "keras/layers/gru.hpp"

#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
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

TEST(GRU, MatchesKeras) {
  // Outputs of Keras 3.15.1 for the calls of recurrent_layer_testing.hpp.
  const std::vector<KerasRecurrentCase> cases = {
      {"gru_mask_state",
       true,
       true,
       {{0.18469052, 0.452170312, 0.18469052, 0.452170312, -0.181339964, 0.0239165295, -0.298541784,
         -0.118802674, 0.788575351, 0.686494291, 0.16837348, 0.37226218, 0.098998934, 0.345442176,
         0.098998934, 0.345442176},
        {-0.298541784, -0.118802674, 0.098998934, 0.345442176}}},
      {"gru_reset_before_backwards",
       true,
       false,
       {{-0.354226619, -0.318193078, -0.453590721, -0.401341885, -0.453590721, -0.401341885,
         -0.227764755, -0.102319025, 0, 0, -0.118979841, 0.00445562741, -0.138850197, 0.0570050143,
         -0.138850197, 0.0570050143},
        {-0.227764755, -0.102319025, -0.138850197, 0.0570050143}}},
      {"gru_no_bias_unroll",
       true,
       true,
       {{0.376968294, 0.482485831, 0.376968294, 0.482485831, 0.0498330444, 0.0708866268,
         -0.10253676, -0.111280426, 0, 0, 0.384674132, 0.407131672, 0.268513352, 0.30858317,
         0.268513352, 0.30858317},
        {-0.10253676, -0.111280426, 0.268513352, 0.30858317}}},
  };
  testing::expect_matches_keras(GRU(2, {.return_sequences = true, .return_state = true}), cases[0]);
  testing::expect_matches_keras(GRU(2, {.return_sequences = true,
                                        .return_state = true,
                                        .go_backwards = true,
                                        .reset_after = false}),
                                cases[1]);
  testing::expect_matches_keras(
      GRU(2, {.use_bias = false, .return_sequences = true, .return_state = true, .unroll = true}),
      cases[2]);
}

TEST(GRU, ShapesWeightsAndParameterCounts) {
  backend::clear_session();
  const GRU gru(10);
  EXPECT_EQ(gru.name(), "gru");
  gru.impl().maybe_build({Shape{None, 7, 4}});
  EXPECT_EQ(gru.count_params(), 3 * 10 * (4 + 10) + 6 * 10);
  const auto w = gru.weights();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].shape(), (Shape{4, 30}));
  EXPECT_EQ(w[1].shape(), (Shape{10, 30}));
  EXPECT_EQ(w[2].shape(), (Shape{2, 30}));  // input bias, recurrent bias
  EXPECT_EQ(w[2].path(), "gru/gru_cell/bias");
  EXPECT_EQ(gru.impl().sublayers().at(0)->class_name(), "GRUCell");
  EXPECT_EQ(gru.compute_output_shape(Shape{None, 7, 4}), (Shape{None, 10}));

  const GRU before(10, {.return_state = true, .reset_after = false});
  before.impl().maybe_build({Shape{None, 7, 4}});
  EXPECT_EQ(before.count_params(), 3 * 10 * (4 + 10 + 1));
  EXPECT_EQ(before.weights()[2].shape(), (Shape{30}));
  EXPECT_EQ(before.impl().compute_output_shape({Shape{None, 7, 4}}),
            (std::vector<Shape>{{None, 10}, {None, 10}}));
  EXPECT_EQ(dynamic_cast<RNNImpl&>(before.impl()).num_states(), 1);
}

TEST(GRU, ExplainsWrongInputs) {
  backend::clear_session();
  const GRU gru(3);
  const std::string message = testing::error_message([&] {
    gru.compute_output_shape(Shape{None, 8});
  });
  EXPECT_NE(message.find("GRU \"gru\" expects inputs of shape (batch, time, features)"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              gru(std::vector<Tensor>{Tensor::zeros(Shape{2, 4, 3}), Tensor::zeros(Shape{2, 3}),
                                      Tensor::zeros(Shape{2, 3})});
            }).find("optionally followed by its 1 initial state [h]; got 3 inputs"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              gru.compute_output_shape(Shape{None, None, None});
            }).find("needs to know the feature dimension"),
            std::string::npos);
  const GRU unrolled(3, {.unroll = true});
  EXPECT_NE(testing::error_message([&] {
              unrolled.compute_output_shape(Shape{None, None, 2});
            }).find("unroll=True, which needs a fixed number of time steps"),
            std::string::npos);
}

TEST(GRU, RecurrentDropoutDrawsAMaskPerGate) {
  // With recurrent_dropout Keras' GRUCell switches to implementation 1: each
  // gate gets its own input and recurrent mask, fixed over the time steps.
  // Per-gate masks change the result compared with one shared mask, and
  // training with them still gives gradients for every weight.
  const GRU gru(4, {.dropout = 0.4, .recurrent_dropout = 0.4, .seed = 3});
  gru.impl().maybe_build({Shape{None, 6, 3}});
  const Tensor x = testing::wave(Shape{5, 6, 3}, 0.2, 1.0);
  GradientTape tape;
  const auto weights = gru.weights();
  for (const Variable& v : weights) tape.watch(v);
  const Tensor y = gru(x, true);
  EXPECT_NE(y.to_vector<float>(), gru(x).to_vector<float>());
  const auto grads = tape.gradient(ops::sum(y), weights);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    double total = 0;
    for (float v : grads[i].to_vector<float>()) total += std::abs(v);
    EXPECT_GT(total, 0.0) << "weight " << i;
  }
}

TEST(GRU, FitTakesTheStepsKerasTakes) {
  // Keras 3.15.1: Sequential([Input((4, 3)), GRU(2, go_backwards=True,
  // return_sequences=True), Dense(1)]) with the weights wave(shape, 2 + k,
  // 0.6), SGD(0.5), mse, x = wave((4, 4, 3), 0, 1), y = wave((4, 4, 1), 0.5,
  // 0.7), fit(batch_size=4, epochs=3, shuffle=False).
  backend::clear_session();
  Sequential model(
      {Input({4, 3}), GRU(2, {.return_sequences = true, .go_backwards = true}), Dense(1)});
  std::vector<Tensor> weights;
  int k = 0;
  for (const Tensor& w : model.get_weights())
    weights.push_back(testing::wave(w.shape(), 2.0 + k++, 0.6));
  model.set_weights(weights);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.5}), .loss = "mse"});
  const History h =
      model.fit(testing::wave(Shape{4, 4, 3}, 0.0, 1.0), testing::wave(Shape{4, 4, 1}, 0.5, 0.7),
                {.batch_size = 4, .epochs = 3, .verbose = 0, .shuffle = false});
  const std::vector<double> losses = {0.34734273, 0.264402479, 0.231610745};
  ASSERT_EQ(h["loss"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(h["loss"][i], losses[i], 2e-6);
  const std::vector<std::vector<double>> expected = {
      {0.542178869, 0.419822365, 0.229866043, -0.00443510665, -0.234985083, -0.54835999,
       -0.532194018, -0.592007101, -0.599897861, -0.522196293, -0.448760152, -0.342225581,
       0.0906322226, 0.306749165, 0.439538717, 0.534274876, 0.413807213, 0.300424397},
      {0.080881238, -0.14170751, -0.336091995, -0.490661114, -0.577382326, -0.580075085,
       -0.52388531, -0.383313715, -0.185578704, 0.0357107371, 0.256747037, 0.448591709},
      {-0.430344492, -0.541125476, -0.6044752, -0.558189631, -0.461235017, -0.296318769,
       -0.0141489562, 0.205261841, 0.371083975, 0.514503956, 0.571482003, 0.553852737},
      {-0.504042029, -0.432822853},
      {-0.0867144614}};
  const auto got = model.get_weights();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto v = got[i].to_vector<double>();
    ASSERT_EQ(v.size(), expected[i].size());
    for (std::size_t j = 0; j < v.size(); ++j)
      EXPECT_NEAR(v[j], expected[i][j], 2e-6) << i << "/" << j;
  }
}

TEST(GRU, FromKerasConfig) {
  // keras.saving.serialize_keras_object(GRU(3, reset_after=False,
  // go_backwards=True, return_sequences=True, dropout=0.25, name="my_gru"))
  // after build((None, 5, 4)).
  const json object = json::parse(
      R"({"module": "keras.layers", "class_name": "GRU", "config": {"name": "my_gru", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "return_sequences": true, "return_state": false, "go_backwards": true, "stateful": false, "unroll": false, "zero_output_for_mask": false, "units": 3, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}, "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.25, "recurrent_dropout": 0.0, "reset_after": false, "seed": null}, "registered_name": null, "build_config": {"input_shape": [null, 5, 4]}})");
  const auto layer = layer_from_config(object);
  EXPECT_EQ(layer->name(), "my_gru");
  EXPECT_EQ(layer->class_name(), "GRU");
  EXPECT_EQ(layer->count_params(), 72);  // Keras' count_params()
  const auto weights = layer->weights();
  EXPECT_EQ(weights[2].shape(), (Shape{9}));
  const RecurrentConfig& c = recurrent_config(*layer);
  EXPECT_FALSE(c.reset_after);
  EXPECT_TRUE(c.go_backwards);
  EXPECT_DOUBLE_EQ(c.dropout, 0.25);
  EXPECT_EQ(layer->compute_output_shape({Shape{None, 5, 4}}), (std::vector<Shape>{{None, 5, 3}}));
}

}  // namespace
}  // namespace keras::layers
