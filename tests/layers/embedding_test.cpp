#include "keras/layers/embedding.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/gradient_tape.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/time_distributed.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers/sgd.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A (rows, cols) table whose entry (r, c) is r + c / 10.
Tensor table(std::int64_t rows, std::int64_t cols) {
  std::vector<float> v;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) v.push_back(static_cast<float>(r) + 0.1f * c);
  }
  return Tensor(Shape{rows, cols}, v);
}

TEST(Embedding, MatchesKeras) {
  backend::clear_session();
  testing::check_layer_against_case(Embedding(20, 4), testing::load_case("embedding_2d"));
}

TEST(Embedding, AddsAnAxisToInputsOfAnyRank) {
  const Embedding e(10, 4);
  EXPECT_EQ(e.compute_output_shape(Shape{None}), (Shape{None, 4}));
  EXPECT_EQ(e.compute_output_shape(Shape{None, 50}), (Shape{None, 50, 4}));
  EXPECT_EQ(e.compute_output_shape(Shape{None, 2, 3}), (Shape{None, 2, 3, 4}));
  e.impl().maybe_build({Shape{None, 2, 3}});
  ASSERT_EQ(e.weights().size(), 1u);
  EXPECT_EQ(e.weights()[0].name(), "embeddings");
  EXPECT_EQ(e.weights()[0].shape(), (Shape{10, 4}));
  EXPECT_EQ(e.count_params(), 40);
  e.set_weights({table(10, 4)});
  const Tensor y = e(Tensor(Shape{1, 2, 3}, std::vector<std::int32_t>{0, 1, 2, 9, 9, 3}));
  EXPECT_EQ(y.shape(), (Shape{1, 2, 3, 4}));
  EXPECT_EQ(y.dtype(), DType::float32);
  const std::vector<float> v = y.to_vector<float>();
  EXPECT_FLOAT_EQ(v[0 * 4 + 1], 0.1f);  // index 0, column 1
  EXPECT_FLOAT_EQ(v[3 * 4 + 2], 9.2f);  // index 9, column 2
  EXPECT_FLOAT_EQ(v[5 * 4 + 3], 3.3f);  // index 3, column 3
}

TEST(Embedding, CastsInt64AndFloatIndicesAsKerasDoes) {
  const Embedding e(5, 2);
  e.impl().maybe_build({Shape{None, 3}});
  e.set_weights({table(5, 2)});
  const Tensor expected = e(Tensor(Shape{1, 3}, std::vector<std::int32_t>{4, 0, 2}));
  EXPECT_EQ(e(Tensor(Shape{1, 3}, std::vector<std::int64_t>{4, 0, 2})).to_vector<float>(),
            expected.to_vector<float>());
  // Floats are truncated to integers (Keras' cast to int32).
  const Tensor y = e(Tensor(Shape{1, 3}, std::vector<float>{4.0f, 0.0f, 2.7f}));
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_EQ(y.to_vector<float>(), expected.to_vector<float>());
  EXPECT_EQ(e(Tensor(Shape{1, 3}, std::vector<double>{4, 0, 2})).dtype(), DType::float32);
}

TEST(Embedding, NamesAnIndexOutsideTheTable) {
  backend::clear_session();
  const Embedding e(20, 4);
  std::string message = testing::error_message([&] {
    e(Tensor(Shape{2, 3}, std::vector<std::int32_t>{1, 2, 3, 4, 25, 6}));
  });
  EXPECT_TRUE(contains(message, "Embedding \"embedding\" got index 25 at position (1, 1)"))
      << message;
  EXPECT_TRUE(contains(message, "input of shape (2, 3)")) << message;
  EXPECT_TRUE(contains(message, "input_dim=20")) << message;
  message = testing::error_message([&] {
    e(Tensor(Shape{3}, std::vector<std::int64_t>{0, -1, 5}));
  });
  EXPECT_TRUE(contains(message, "got index -1 at position (1,)")) << message;
  message = testing::error_message([&] { e(Tensor(Shape{1, 2}, std::vector<float>{3, 20})); });
  EXPECT_TRUE(contains(message, "at position (0, 1)")) << message;
  EXPECT_THROW(Embedding(0, 4), Error);
  EXPECT_THROW(Embedding(4, 0), Error);
}

TEST(Embedding, MaskZeroMasksThePadding) {
  const Embedding plain(5, 2);
  const Embedding masked(5, 2, {.mask_zero = true});
  EXPECT_FALSE(plain.impl().supports_masking());
  EXPECT_TRUE(masked.impl().supports_masking());
  const Tensor x(Shape{2, 3}, std::vector<std::int32_t>{3, 1, 0, 4, 0, 0});
  const auto mask = masked.impl().compute_mask({x}, {});
  ASSERT_EQ(mask.size(), 1u);
  ASSERT_TRUE(mask[0].has_value());
  EXPECT_EQ(mask[0]->shape(), (Shape{2, 3}));
  EXPECT_EQ(mask[0]->to_vector<bool>(), (std::vector<bool>{true, true, false, true, false, false}));
  // Without mask_zero an incoming mask stops here (supports_masking is false).
  const Tensor incoming(Shape{2, 3}, std::vector<bool>(6, true));
  const auto none = plain.impl().compute_mask({x}, {incoming});
  EXPECT_TRUE(none.empty() || !none[0].has_value());
}

TEST(Embedding, GradientScatterAddsIntoTheTable) {
  const Embedding e(6, 3);
  e.impl().maybe_build({Shape{None, 4}});
  e.set_weights({table(6, 3)});
  // Index 2 appears three times, 5 once; rows 0, 1, 3, 4 get no gradient.
  const Tensor x(Shape{2, 2}, std::vector<std::int32_t>{2, 5, 2, 2});
  std::vector<float> w;
  for (int i = 0; i < 12; ++i) w.push_back(static_cast<float>(i + 1));
  const Tensor weights(Shape{2, 2, 3}, w);
  const Variable table_var = e.weights()[0];
  GradientTape tape;
  tape.watch(table_var);
  const Tensor loss = ops::sum(ops::multiply(e(x), weights));
  const std::vector<Tensor> grads = tape.gradient(loss, std::vector<Variable>{table_var});
  ASSERT_EQ(grads.size(), 1u);
  ASSERT_EQ(grads[0].shape(), (Shape{6, 3}));
  std::vector<float> expected(18, 0.0f);
  // Row 2 collects positions 0, 2 and 3: (1,2,3) + (7,8,9) + (10,11,12).
  expected[6] = 18;
  expected[7] = 21;
  expected[8] = 24;
  // Row 5 gets position 1: (4, 5, 6).
  expected[15] = 4;
  expected[16] = 5;
  expected[17] = 6;
  EXPECT_EQ(grads[0].to_vector<float>(), expected);
}

TEST(Embedding, RegularizesAndConstrainsItsTable) {
  const Embedding e(3, 2, {.embeddings_regularizer = "l2", .embeddings_constraint = "non_neg"});
  e.impl().maybe_build({Shape{None, 4}});
  e.set_weights({Tensor(Shape{3, 2}, {1, 1, 1, 1, 1, -1})});
  const std::vector<Tensor> penalties = e.impl().regularization_losses();
  ASSERT_EQ(penalties.size(), 1u);
  EXPECT_NEAR(penalties[0].item<double>(), 0.01 * 6, 1e-7);  // Keras' L2 default, 0.01
  const Variable table = e.weights()[0];
  EXPECT_TRUE(e.impl().weight_constraint(table).defined());
  EXPECT_TRUE(e.impl().weight_regularizer(table).defined());
}

TEST(Embedding, AcceptsAndIgnoresInputLength) {
  const Embedding e(7, 2, {.input_length = 50});
  EXPECT_EQ(e.compute_output_shape(Shape{None, 3}), (Shape{None, 3, 2}));
}

TEST(Embedding, ReadsKerasConfig) {
  backend::clear_session();
  const auto object = json::parse(R"({
    "module": "keras.layers", "class_name": "Embedding",
    "config": {"name": "emb", "trainable": false,
               "dtype": {"module": "keras", "class_name": "DTypePolicy",
                         "config": {"name": "float32"}, "registered_name": null},
               "input_dim": 30, "output_dim": 8,
               "embeddings_initializer": {"module": "keras.initializers",
                   "class_name": "RandomUniform",
                   "config": {"seed": null, "minval": -0.05, "maxval": 0.05},
                   "registered_name": null},
               "embeddings_regularizer": {"module": "keras.regularizers", "class_name": "L2",
                                          "config": {"l2": 0.5}, "registered_name": null},
               "activity_regularizer": null,
               "embeddings_constraint": null, "mask_zero": true,
               "quantization_config": null, "input_length": 7},
    "registered_name": null, "build_config": {"input_shape": [null, 7]}})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.name(), "emb");
  EXPECT_EQ(layer.class_name(), "Embedding");
  EXPECT_TRUE(layer.built());
  EXPECT_EQ(layer.count_params(), 240);
  EXPECT_TRUE(layer.impl().supports_masking());
  EXPECT_TRUE(layer.trainable_weights().empty());
  EXPECT_TRUE(layer.impl().weight_regularizer(layer.weights()[0]).defined());
  for (const float v : layer.get_weights()[0].to_vector<float>()) {
    EXPECT_LE(std::abs(v), 0.05f);
  }
}

// ---- masks from Embedding through TimeDistributed(Dense) into fit ----

// Embedding(6, 3, mask_zero) -> TimeDistributed(Dense(4, softmax)) with
// fixed weights, as reference/ numbers below were made in Keras 3.15.1:
//   emb = arange(18).reshape(6, 3) * 0.37 % 1 - 0.5
//   kernel = arange(12).reshape(3, 4) * 0.53 % 1 - 0.5, bias [0.1, -0.2, 0.05, 0]
Sequential masked_tagger(bool mask_zero) {
  backend::clear_session();
  Sequential model({Input({5}, {.dtype = "int32"}), Embedding(6, 3, {.mask_zero = mask_zero}),
                    TimeDistributed(Dense(4, {.activation = "softmax"}))});
  std::vector<float> emb, kernel;
  for (int i = 0; i < 18; ++i) emb.push_back(std::fmod(i * 0.37f, 1.0f) - 0.5f);
  for (int i = 0; i < 12; ++i) kernel.push_back(std::fmod(i * 0.53f, 1.0f) - 0.5f);
  model.set_weights({Tensor(Shape{6, 3}, emb), Tensor(Shape{3, 4}, kernel),
                     Tensor(Shape{4}, {0.1f, -0.2f, 0.05f, 0.0f})});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.5}),
                 .loss = "categorical_crossentropy",
                 .metrics = {"accuracy"}});
  return model;
}

struct TaggingData {
  Tensor x = Tensor(Shape{3, 5}, std::vector<std::int32_t>{1, 2, 3, 0, 0, 4, 5, 1, 2, 0,  //
                                                           3, 0, 0, 0, 0});
  Tensor y;
  TaggingData() {
    // Labels at the padded steps are real classes: they count unless masked.
    const Tensor labels(Shape{3, 5}, std::vector<std::int32_t>{0, 1, 2, 3, 3, 1, 1, 0, 2, 3,  //
                                                               2, 3, 3, 3, 3});
    y = ops::one_hot(labels, 4);
  }
};

TEST(EmbeddingMask, MaskedStepsDoNotCountInEvaluate) {
  const TaggingData d;
  const std::vector<double> masked =
      masked_tagger(true).evaluate(d.x, d.y, {.batch_size = 3, .verbose = 0});
  ASSERT_EQ(masked.size(), 2u);
  EXPECT_NEAR(masked[0], 1.3807568550109863, 1e-6);  // Keras' evaluate
  EXPECT_NEAR(masked[1], 0.25, 1e-7);                // 2 of the 8 real tokens
  const std::vector<double> plain =
      masked_tagger(false).evaluate(d.x, d.y, {.batch_size = 3, .verbose = 0});
  EXPECT_NEAR(plain[0], 1.4405702352523804, 1e-6);
  EXPECT_NEAR(plain[1], 0.13333334028720856, 1e-7);  // 2 of all 15 steps
}

TEST(EmbeddingMask, MaskedStepsDoNotCountInFit) {
  const TaggingData d;
  Sequential model = masked_tagger(true);
  const History h =
      model.fit(d.x, d.y, {.batch_size = 3, .epochs = 2, .verbose = 0, .shuffle = false});
  // Keras 3.15.1: the losses fit reports, and the masked accuracy evaluate
  // gives before each step (Keras on TensorFlow or PyTorch reports the same
  // in fit; on JAX its fit drops the mask from the metrics only, a backend
  // quirk: y_pred loses its mask through jax.value_and_grad).
  ASSERT_EQ(h["loss"].size(), 2u);
  EXPECT_NEAR(h["loss"][0], 1.3807568550109863, 1e-6);
  EXPECT_NEAR(h["loss"][1], 1.3070871829986572, 1e-6);
  EXPECT_NEAR(h["accuracy"][0], 0.25, 1e-7);
  EXPECT_NEAR(h["accuracy"][1], 0.625, 1e-7);
  // Keras' table after the two steps; row 0 (padding) got no gradient.
  const std::vector<float> expected = {
      -0.5f,         -0.13f,      0.24000001f, -0.45734215f, -0.08819561f, 0.2898528f,
      -0.2786928f,   0.09449639f, 0.4593895f,  -0.21593535f, 0.15632392f,  -0.47858453f,
      -0.026862213f, 0.34502903f, -0.2877671f, 0.080114305f, 0.45205125f,  -0.18065849f};
  testing::expect_allclose(model.get_weights()[0], Tensor(Shape{6, 3}, expected), 1e-5, 1e-6);
}

TEST(EmbeddingMask, FlowsThroughDenseIntoTheLossAndAccuracy) {
  // Embedding(mask_zero) -> Dense(3, tanh) -> TimeDistributed(Dense(4, softmax));
  // the padded steps' labels equal the predictions: counted, they would
  // raise the accuracy to 12/15 = 0.8.
  backend::clear_session();
  Sequential model({Input({5}, {.dtype = "int32"}), Embedding(6, 3, {.mask_zero = true}),
                    Dense(3, {.activation = "tanh"}),
                    TimeDistributed(Dense(4, {.activation = "softmax"}))});
  std::vector<float> emb, k0, k1;
  for (int i = 0; i < 18; ++i) emb.push_back(std::fmod(i * 0.37f, 1.0f) - 0.5f);
  for (int i = 0; i < 9; ++i) k0.push_back(std::fmod(i * 0.71f, 1.0f) - 0.5f);
  for (int i = 0; i < 12; ++i) k1.push_back(std::fmod(i * 0.53f, 1.0f) - 0.5f);
  model.set_weights({Tensor(Shape{6, 3}, emb), Tensor(Shape{3, 3}, k0), Tensor::zeros(Shape{3}),
                     Tensor(Shape{3, 4}, k1), Tensor(Shape{4}, {0.1f, -0.2f, 0.05f, 0.0f})});
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  const TaggingData d;
  const Tensor labels(Shape{3, 5}, std::vector<std::int32_t>{3, 0, 0, 3, 3, 1, 0, 3, 0, 3,  //
                                                             0, 3, 3, 3, 3});
  const std::vector<double> r =
      model.evaluate(d.x, ops::one_hot(labels, 4), {.batch_size = 3, .verbose = 0});
  EXPECT_NEAR(r[0], 1.3341416120529175, 1e-6);  // Keras 3.15.1
  EXPECT_NEAR(r[1], 0.625, 1e-7);               // 5 of the 8 real tokens
}

}  // namespace
}  // namespace keras::layers
