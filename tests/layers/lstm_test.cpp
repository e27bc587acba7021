#include "keras/layers/lstm.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

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

LSTM full_lstm(LSTMOptions options = {}) {
  options.return_sequences = true;
  options.return_state = true;
  return LSTM(2, std::move(options));
}

TEST(LSTM, MatchesKeras) {
  // Outputs of Keras 3.15.1 for the calls of recurrent_layer_testing.hpp.
  const std::vector<KerasRecurrentCase> cases = {
      {"lstm_plain",
       false,
       false,
       {{-0.0743925348, -0.056124229, -0.115517803, -0.105966926, -0.137063235, -0.120951734,
         -0.125487372, -0.083450608, -0.0550759099, 0.000932602794, -0.0729371384, -0.0130616231,
         -0.100597702, -0.0713189617, -0.127627581, -0.112863272},
        {-0.125487372, -0.083450608, -0.127627581, -0.112863272},
        {-0.240086064, -0.139670104, -0.332561404, -0.268101811}}},
      {"lstm_mask_state_backwards",
       true,
       true,
       {{0.0545477495, 0.0978673622, -0.0747892335, -0.0484420434, -0.0747892335, -0.0484420434,
         -0.103033163, -0.0735203251, 0.788575351, 0.686494291, -0.0402277522, -0.0744003505,
         -0.0799384564, -0.0582057722, -0.0799384564, -0.0582057722},
        {-0.103033163, -0.0735203251, -0.0799384564, -0.0582057722},
        {-0.223061591, -0.145400509, -0.151596934, -0.0993879884}}},
      {"lstm_mask_zero_output",
       true,
       false,
       {{-0.0743925348, -0.056124229, 0, 0, -0.116231211, -0.096895583, -0.116735242, -0.0722236708,
         0, 0, -0.0602553412, -0.0198323391, -0.0980795324, -0.0751604959, 0, 0},
        {-0.116735242, -0.0722236708, -0.0980795324, -0.0751604959},
        {-0.222464129, -0.120532431, -0.227518618, -0.160589755}}},
      {"lstm_unroll_mask_state",
       true,
       true,
       {{0.0680308565, 0.0727610067, 0.0680308565, 0.0727610067, -0.0709268078, -0.0553624965,
         -0.099284634, -0.0542802922, 0, 0, -0.0166812558, -0.0242264234, -0.0875251889,
         -0.080378674, -0.0875251889, -0.080378674},
        {-0.099284634, -0.0542802922, -0.0875251889, -0.080378674},
        {-0.188356712, -0.0903330296, -0.205317259, -0.173703641}}},
      {"lstm_no_bias_hard_sigmoid",
       false,
       false,
       {{0.0113114053, 0, 0.00554941827, 0, 0.00300974329, 0, 0.00161428493, 0.0182508845,
         0.0202619918, 0.0645049363, 0.0407770984, 0.0766799301, 0.024847107, 0.033879593,
         0.0125980759, 0.0163051337},
        {0.00161428493, 0.0182508845, 0.0125980759, 0.0163051337},
        {0.00306112785, 0.0338823758, 0.0288799684, 0.0384948887}}},
  };
  testing::expect_matches_keras(full_lstm(), cases[0]);
  testing::expect_matches_keras(full_lstm({.go_backwards = true}), cases[1]);
  testing::expect_matches_keras(full_lstm({.zero_output_for_mask = true}), cases[2]);
  testing::expect_matches_keras(full_lstm({.unroll = true}), cases[3]);
  testing::expect_matches_keras(
      full_lstm({.activation = "relu", .recurrent_activation = "hard_sigmoid", .use_bias = false}),
      cases[4]);
}

TEST(LSTM, ShapesWeightsAndParameterCounts) {
  backend::clear_session();
  const LSTM lstm(75);
  EXPECT_EQ(lstm.name(), "lstm");
  EXPECT_EQ(lstm.class_name(), "LSTM");
  EXPECT_EQ(lstm.compute_output_shape(Shape{None, 50, 64}), (Shape{None, 75}));
  lstm.impl().maybe_build({Shape{None, 50, 64}});
  EXPECT_EQ(lstm.count_params(), 4 * 75 * (64 + 75 + 1));  // 42000
  const auto weights = lstm.weights();
  ASSERT_EQ(weights.size(), 3u);
  EXPECT_EQ(weights[0].name(), "kernel");
  EXPECT_EQ(weights[0].shape(), (Shape{64, 300}));
  EXPECT_EQ(weights[1].name(), "recurrent_kernel");
  EXPECT_EQ(weights[1].shape(), (Shape{75, 300}));
  EXPECT_EQ(weights[2].name(), "bias");
  EXPECT_EQ(weights[2].shape(), (Shape{300}));
  EXPECT_EQ(weights[0].path(), "lstm/lstm_cell/kernel");  // Keras keeps them in the cell
  ASSERT_EQ(lstm.impl().sublayers().size(), 1u);
  EXPECT_EQ(lstm.impl().sublayers()[0]->name(), "lstm_cell");
  EXPECT_EQ(lstm.impl().sublayers()[0]->class_name(), "LSTMCell");
  EXPECT_TRUE(lstm.impl().own_weights().empty());

  const LSTM seq(75, {.return_sequences = true, .return_state = true});
  EXPECT_EQ(seq.impl().compute_output_shape({Shape{None, 50, 64}}),
            (std::vector<Shape>{{None, 50, 75}, {None, 75}, {None, 75}}));
  EXPECT_EQ(LSTM(8).name(), "lstm_2");
}

TEST(LSTM, UnitForgetBiasStartsTheForgetGateAtOne) {
  const LSTM lstm(3);
  lstm.impl().maybe_build({Shape{None, 4, 2}});
  EXPECT_EQ(lstm.get_weights()[2].to_vector<float>(),
            (std::vector<float>{0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}));
  const LSTM plain(2, {.bias_initializer = "ones", .unit_forget_bias = false});
  plain.impl().maybe_build({Shape{None, 4, 2}});
  EXPECT_EQ(plain.get_weights()[2].to_vector<float>(), std::vector<float>(8, 1.0f));
  const LSTM no_bias(2, {.use_bias = false});
  no_bias.impl().maybe_build({Shape{None, 4, 2}});
  EXPECT_EQ(no_bias.weights().size(), 2u);
  EXPECT_EQ(no_bias.count_params(), 4 * 2 * (2 + 2));
}

TEST(LSTM, ExplainsWrongInputs) {
  backend::clear_session();
  const LSTM lstm(4);
  std::string message = testing::error_message([&] { lstm.compute_output_shape(Shape{None, 75}); });
  EXPECT_NE(message.find("LSTM \"lstm\" expects inputs of shape (batch, time, features), got "
                         "shape (None, 75)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("give that layer return_sequences=True"), std::string::npos);
  EXPECT_NE(message.find("Reshape"), std::string::npos);
  message = testing::error_message([&] { lstm.compute_output_shape(Shape{None, 5, 4, 3}); });
  EXPECT_NE(message.find("Reshape it to (batch, time, features)"), std::string::npos);
  EXPECT_THROW(lstm(Tensor::zeros(Shape{2, 3})), Error);

  lstm.impl().maybe_build({Shape{None, 5, 3}});
  message = testing::error_message([&] { lstm(Tensor::zeros(Shape{2, 5, 4})); });
  EXPECT_NE(message.find("expects inputs whose last dimension is 3, got shape (2, 5, 4)"),
            std::string::npos);
  message = testing::error_message([&] {
    lstm(std::vector<Tensor>{Tensor::zeros(Shape{2, 5, 3}), Tensor::zeros(Shape{2, 4})});
  });
  EXPECT_NE(message.find("optionally followed by its 2 initial states [h, c]; got 2 inputs"),
            std::string::npos);
  message = testing::error_message([&] {
    lstm(std::vector<Tensor>{Tensor::zeros(Shape{2, 5, 3}), Tensor::zeros(Shape{2, 3}),
                             Tensor::zeros(Shape{2, 4})});
  });
  EXPECT_NE(message.find("expects initial states [h, c] of shape (2, 4)"), std::string::npos);
}

TEST(LSTM, RejectsBadOptions) {
  EXPECT_NE(testing::error_message([] { LSTM(0); }).find("expected a positive integer, got 0"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] { LSTM(3, {.activation = "tanhh"}); }).find("tanhh"),
            std::string::npos);
  EXPECT_NE(testing::error_message([] {
              LSTM(3, {.recurrent_activation = "softmax"});
            }).find("element-wise"),
            std::string::npos);
  const LSTM stateful(3, {.stateful = true});
  EXPECT_NE(testing::error_message([&] {
              stateful.impl().maybe_build({Shape{None, 4, 2}});
            }).find("needs a fixed batch size"),
            std::string::npos);
}

TEST(LSTM, StartsFromGivenStatesInAFunctionalModel) {
  backend::clear_session();
  const KerasTensor x = Input({4, 3});
  const KerasTensor h0 = Input({2});
  const KerasTensor c0 = Input({2});
  const LSTM lstm(2, {.return_state = true});
  const std::vector<KerasTensor> out = lstm(std::vector<KerasTensor>{x, h0, c0});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].shape(), (Shape{None, 2}));
  const Model model({x, h0, c0}, out);
  const Tensor xv = testing::wave(Shape{2, 4, 3}, 0.0, 1.0);
  const Tensor hv = testing::wave(Shape{2, 2}, 1.0, 0.8), cv = testing::wave(Shape{2, 2}, 2.0, 0.8);
  const auto predicted = model.predict({xv, hv, cv});
  const auto direct = lstm(std::vector<Tensor>{xv, hv, cv});
  ASSERT_EQ(predicted.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) testing::expect_allclose(predicted[i], direct[i]);
  // Zero states are the default.
  const Tensor zeros = Tensor::zeros(Shape{2, 2});
  testing::expect_allclose(lstm(std::vector<Tensor>{xv, zeros, zeros})[0],
                           lstm(std::vector<Tensor>{xv})[0]);
}

TEST(LSTM, StatefulCarriesTheStatesToTheNextCall) {
  const LSTM stateful(3, {.return_sequences = true, .stateful = true});
  const LSTM plain(3, {.return_sequences = true});
  stateful.impl().maybe_build({Shape{2, 6, 4}});
  plain.impl().maybe_build({Shape{2, 6, 4}});
  plain.set_weights(stateful.get_weights());
  const Tensor x = testing::wave(Shape{2, 6, 4}, 0.3, 1.0);
  const Tensor whole = plain(x);
  const Tensor first = stateful(ops::slice_axis(x, 1, 0, 3));
  const Tensor second = stateful(ops::slice_axis(x, 1, 3, 3));
  testing::expect_allclose(ops::concatenate({first, second}, 1), whole);
  stateful.reset_states();
  testing::expect_allclose(stateful(ops::slice_axis(x, 1, 0, 3)), first);
  EXPECT_NE(testing::error_message([&] {
              stateful(Tensor::zeros(Shape{3, 6, 4}));
            }).find("batch size of its inputs must be the one its states were made for"),
            std::string::npos);
}

TEST(LSTM, DropoutOnlyWhileTraining) {
  const LSTM dropped(4, {.dropout = 0.5, .recurrent_dropout = 0.3, .seed = 7});
  const LSTM again(4, {.dropout = 0.5, .recurrent_dropout = 0.3, .seed = 7});
  const LSTM plain(4);
  for (const LSTM& l : {dropped, again, plain}) l.impl().maybe_build({Shape{None, 5, 3}});
  again.set_weights(dropped.get_weights());
  plain.set_weights(dropped.get_weights());
  const Tensor x = testing::wave(Shape{3, 5, 3}, 0.1, 1.0);
  testing::expect_allclose(dropped(x), plain(x));  // inference: no dropout
  const Tensor trained = dropped(x, true);
  EXPECT_NE(trained.to_vector<float>(), plain(x).to_vector<float>());
  testing::expect_allclose(again(x, true), trained);  // the same seed, the same masks
  // Gradients flow through the dropped-out inputs.
  GradientTape tape;
  const Variable kernel = dropped.weights()[0];
  tape.watch(kernel);
  const Tensor loss = ops::sum(dropped(x, true));
  const Tensor g = tape.gradient(loss, std::vector<Variable>{kernel})[0];
  double total = 0;
  for (float v : g.to_vector<float>()) total += std::abs(v);
  EXPECT_GT(total, 0.0);
}

TEST(LSTM, PassesTheMaskWithItsSequences) {
  const Tensor x = Tensor::zeros(Shape{1, 3, 2});
  const Tensor mask(Shape{1, 3}, std::vector<bool>{true, true, false});
  const auto seq = LSTM(2, {.return_sequences = true}).impl().compute_mask({x}, {mask});
  ASSERT_EQ(seq.size(), 1u);
  ASSERT_TRUE(seq[0].has_value());
  EXPECT_EQ(seq[0]->to_vector<bool>(), mask.to_vector<bool>());
  const auto last = LSTM(2).impl().compute_mask({x}, {mask});
  EXPECT_TRUE(last.empty() || !last[0].has_value());
  const auto states =
      LSTM(2, {.return_sequences = true, .return_state = true}).impl().compute_mask({x}, {mask});
  ASSERT_EQ(states.size(), 3u);
  EXPECT_TRUE(states[0].has_value());
  EXPECT_FALSE(states[1].has_value());
  EXPECT_TRUE(LSTM(2).impl().supports_masking());
}

TEST(LSTM, CopiesForBidirectional) {
  const LSTM lstm(5, {.dropout = 0.25, .return_sequences = true});
  auto& rnn = dynamic_cast<RNNImpl&>(lstm.impl());
  const auto forward = rnn.copy("forward_lstm", false);
  const auto backward = rnn.copy("backward_lstm", true);
  EXPECT_EQ(forward->name(), "forward_lstm");
  EXPECT_FALSE(forward->go_backwards());
  EXPECT_TRUE(backward->go_backwards());
  EXPECT_FALSE(backward->built());
  EXPECT_EQ(backward->units(), 5);
  EXPECT_EQ(backward->num_states(), 2);
  EXPECT_TRUE(backward->return_sequences());
  EXPECT_EQ(recurrent_config(*backward).dropout, 0.25);
  backward->set_zero_output_for_mask(true);
  EXPECT_TRUE(backward->zero_output_for_mask());
  EXPECT_FALSE(rnn.zero_output_for_mask());
}

TEST(LSTM, FrozenLayerHasNoTrainableWeights) {
  const LSTM lstm(2, {.trainable = false});
  lstm.impl().maybe_build({Shape{None, 3, 2}});
  EXPECT_TRUE(lstm.trainable_weights().empty());
  EXPECT_EQ(lstm.non_trainable_weights().size(), 3u);
}

TEST(LSTM, ComputesInFloat64ForFloat64Inputs) {
  const LSTM lstm(2);
  const Tensor x = testing::wave(Shape{2, 4, 3}, 0.0, 1.0);
  const Tensor y32 = lstm(x);
  const Tensor y64 = lstm(x.astype(DType::float64));
  EXPECT_EQ(y64.dtype(), DType::float64);
  testing::expect_allclose(y64, y32, 1e-5, 1e-6);
}

TEST(LSTM, FitTakesTheStepsKerasTakes) {
  // Keras 3.15.1: Sequential([Input((4, 3)), LSTM(2), Dense(1)]) with the
  // weights wave(shape, 2 + k, 0.6), SGD(0.5), mse, x = wave((4, 4, 3), 0, 1),
  // y = wave((4, 1), 0.5, 0.7), fit(batch_size=4, epochs=3, shuffle=False).
  backend::clear_session();
  Sequential model({Input({4, 3}), LSTM(2), Dense(1)});
  std::vector<Tensor> weights;
  int k = 0;
  for (const Tensor& w : model.get_weights())
    weights.push_back(testing::wave(w.shape(), 2.0 + k++, 0.6));
  model.set_weights(weights);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.5}), .loss = "mse"});
  const History h =
      model.fit(testing::wave(Shape{4, 4, 3}, 0.0, 1.0), testing::wave(Shape{4, 1}, 0.5, 0.7),
                {.batch_size = 4, .epochs = 3, .verbose = 0, .shuffle = false});
  const std::vector<double> losses = {0.422579795, 0.0271178484, 0.025231516};
  ASSERT_EQ(h["loss"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(h["loss"][i], losses[i], 2e-6);
  const std::vector<std::vector<double>> expected = {
      {0.540496528,  0.421869755,  0.230454728,  0.0164292753, -0.179416209, -0.365079105,
       -0.531632125, -0.594218194, -0.58555305,  -0.485523611, -0.334311604, -0.130605966,
       0.107270092,  0.325192511,  0.468238831,  0.574218333,  0.596591115,  0.547139049,
       0.412229538,  0.226457745,  0.0203870684, -0.184477001, -0.391619593, -0.528717875},
      {0.0830544084, -0.136669531, -0.339006156, -0.495270222, -0.577313304, -0.584934711,
       -0.525583029, -0.384142995, -0.191435307, 0.0276104771, 0.242302343, 0.424209207,
       0.552789986, 0.604972482, 0.56785208, 0.460028768},
      {-0.438528448, -0.554580092, -0.590397179, -0.545319259, -0.495434552, -0.351486981,
       -0.0256470218, 0.189434811},
      {-0.634129465, -0.503984153},
      {0.426544547}};
  const auto got = model.get_weights();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto v = got[i].to_vector<double>();
    ASSERT_EQ(v.size(), expected[i].size());
    for (std::size_t j = 0; j < v.size(); ++j)
      EXPECT_NEAR(v[j], expected[i][j], 2e-6) << i << "/" << j;
  }
}

TEST(LSTM, WeightsFileHasKerasLayout) {
  backend::clear_session();
  Sequential model({Input({4, 3}), LSTM(2, {.return_sequences = true}), Dense(1)});
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("kerascpp_lstm_" + std::to_string(::getpid()) + ".weights.h5"))
                               .string();
  model.save_weights(path);
  Sequential again({Input({4, 3}), LSTM(2, {.return_sequences = true}), Dense(1)});
  again.load_weights(path);
  std::remove(path.c_str());
  const auto a = model.get_weights(), b = again.get_weights();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].to_vector<float>(), b[i].to_vector<float>());
}

TEST(LSTM, FromKerasConfig) {
  backend::clear_session();
  const json object = json::parse(R"({"module": "keras.layers", "class_name": "LSTM",
    "config": {"name": "lstm_9", "trainable": true, "dtype": "float32", "return_sequences": true,
    "return_state": false, "go_backwards": true, "stateful": false, "unroll": false,
    "zero_output_for_mask": false, "units": 3, "activation": "tanh",
    "recurrent_activation": "sigmoid", "use_bias": true, "kernel_initializer": "glorot_uniform",
    "recurrent_initializer": "orthogonal", "bias_initializer": "zeros", "unit_forget_bias": true,
    "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
    "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
    "bias_constraint": null, "dropout": 0.1, "recurrent_dropout": 0.0, "seed": null},
    "build_config": {"input_shape": [null, 5, 4]}})");
  const auto layer = layer_from_config(object);
  EXPECT_EQ(layer->name(), "lstm_9");
  EXPECT_TRUE(layer->built());
  EXPECT_EQ(layer->count_params(), 4 * 3 * (4 + 3 + 1));
  const RecurrentConfig& c = recurrent_config(*layer);
  EXPECT_TRUE(c.go_backwards);
  EXPECT_TRUE(c.return_sequences);
  EXPECT_DOUBLE_EQ(c.dropout, 0.1);
  json regularized = object;
  regularized["config"]["kernel_regularizer"] = "l2";
  EXPECT_NE(
      testing::error_message([&] { layer_from_config(regularized); }).find("kernel_regularizer"),
      std::string::npos);
}

}  // namespace
}  // namespace keras::layers
