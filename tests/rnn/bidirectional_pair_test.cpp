// Bidirectional runs its two SimpleRNN / LSTM / GRU copies as one fused op
// (layers::apply_recurrent_pair -> ops::recurrent_sequence_pair, each
// direction on a thread of its own). Its outputs and gradients must be those
// of the general path, which applies each copy on its own: a layer with an
// activity regularizer (of weight 0 here) still takes that path.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "keras/gradient_tape.hpp"
#include "keras/keras.hpp"
#include "layers/rnn.hpp"

namespace {

namespace L = keras::layers;
using keras::Shape;
using keras::Tensor;

Tensor random_tensor(const Shape& shape, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> values(static_cast<std::size_t>(shape.num_elements()));
  for (float& v : values) v = dist(gen);
  return Tensor(shape, values);
}

struct Case {
  std::string label;
  std::function<keras::Layer()> make_inner;
  std::optional<std::string> merge_mode = "concat";
  std::int64_t batch = 6, time = 9, features = 7, units = 5;
  bool masked = false;
  bool initial_states = false;
  bool training = false;
  bool dropout = false;
};

struct Outcome {
  std::vector<Tensor> outputs, gradients;
};

// One call of a Bidirectional whose copies get the given weights, under a
// tape: its outputs and the gradients of a weighted sum of them with respect
// to the inputs and every weight.
Outcome run(const Case& c, const std::vector<Tensor>& weights, bool general_path) {
  keras::utils::set_random_seed(3);
  const L::Bidirectional b(c.make_inner(), {.merge_mode = c.merge_mode});
  if (general_path) {
    // Any activity regularizer keeps apply_recurrent_pair out.
    b.forward_layer().impl().set_activity_regularizer(keras::regularizers::Regularizer("l2"));
  }
  const Shape x_shape{c.batch, c.time, c.features};
  b.impl().maybe_build({x_shape});
  if (!weights.empty()) b.set_weights(weights);

  std::vector<Tensor> inputs{random_tensor(x_shape, 1)};
  if (c.initial_states) {
    const int states = dynamic_cast<const L::RNNImpl&>(b.forward_layer().impl()).num_states();
    for (int i = 0; i < 2 * states; ++i) {
      inputs.push_back(random_tensor(Shape{c.batch, c.units}, 10 + static_cast<std::uint64_t>(i)));
    }
  }
  keras::CallContext ctx;
  ctx.training = c.training;
  if (c.masked) {
    std::vector<bool> mask;
    for (std::int64_t i = 0; i < c.batch; ++i) {
      for (std::int64_t t = 0; t < c.time; ++t) mask.push_back(t < c.time - i % 4);
    }
    ctx.masks.push_back(Tensor(Shape{c.batch, c.time}, mask));
  }
  std::vector<Tensor> sources = inputs;
  for (const keras::Variable& v : b.weights()) sources.push_back(v.value());
  keras::GradientTape tape;
  for (const Tensor& t : sources) tape.watch(t);
  Outcome r;
  r.outputs = b.impl().apply(inputs, ctx);
  Tensor target = Tensor::zeros(Shape{});
  std::uint64_t seed = 50;
  for (const Tensor& y : r.outputs) {
    target = keras::ops::add(
        target, keras::ops::sum(keras::ops::multiply(y, random_tensor(y.shape(), ++seed))));
  }
  r.gradients = tape.gradient(target, sources);
  return r;
}

void expect_identical(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual,
                      const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(expected[i].shape(), actual[i].shape()) << what << " #" << i;
    EXPECT_EQ(expected[i].to_vector<float>(), actual[i].to_vector<float>()) << what << " #" << i;
  }
}

std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({.label = "lstm concat masked",
                 .make_inner = [] { return L::LSTM(5, {.return_sequences = true}); },
                 .masked = true});
  out.push_back({.label = "lstm ave, large enough for two threads",
                 .make_inner = [] { return L::LSTM(24, {.return_sequences = true}); },
                 .merge_mode = "ave",
                 .batch = 13,
                 .time = 20,
                 .features = 16,
                 .units = 24,
                 .masked = true});
  out.push_back({.label = "gru states in and out, unmerged",
                 .make_inner = [] { return L::GRU(5, {.return_state = true}); },
                 .merge_mode = std::nullopt,
                 .initial_states = true});
  out.push_back(
      {.label = "gru reset_before sum",
       .make_inner = [] { return L::GRU(5, {.return_sequences = true, .reset_after = false}); },
       .merge_mode = "sum"});
  out.push_back({.label = "simple_rnn mul masked",
                 .make_inner = [] { return L::SimpleRNN(5, {.return_sequences = true}); },
                 .merge_mode = "mul",
                 .masked = true});
  out.push_back(
      {.label = "lstm dropout while training",
       .make_inner =
           [] {
             return L::LSTM(
                 5,
                 {.dropout = 0.3, .recurrent_dropout = 0.2, .seed = 7, .return_sequences = true});
           },
       .training = true});
  return out;
}

TEST(BidirectionalPair, MatchesApplyingEachDirection) {
  for (const Case& c : cases()) {
    // Both paths with the same weights (and, with dropout, the same masks:
    // each copy draws its own from its seed, in the same order).
    std::vector<Tensor> weights;
    {
      const L::Bidirectional b(c.make_inner(), {.merge_mode = c.merge_mode});
      b.impl().maybe_build({Shape{c.batch, c.time, c.features}});
      weights = b.get_weights();
    }
    const Outcome fused = run(c, weights, false);
    const Outcome general = run(c, weights, true);
    expect_identical(general.outputs, fused.outputs, c.label + ": outputs");
    expect_identical(general.gradients, fused.gradients, c.label + ": gradients");
  }
}

// What decides between the paths.
TEST(BidirectionalPair, TakenForRecurrentLayersWithoutActivityRegularizers) {
  const Tensor x = random_tensor(Shape{2, 3, 4}, 1);
  const keras::CallContext ctx;
  const auto copy = [](const keras::Layer& layer, bool reverse) {
    return dynamic_cast<const L::RNNImpl&>(layer.impl()).copy(reverse ? "b" : "f", reverse);
  };
  const L::LSTM lstm(3, {.return_sequences = true});
  auto forward = copy(lstm, false), backward = copy(lstm, true);
  const auto both = L::apply_recurrent_pair(*forward, {x}, ctx, *backward, {x}, ctx);
  ASSERT_TRUE(both.has_value());
  ASSERT_EQ(both->first.size(), 1u);
  EXPECT_EQ(both->first[0].shape(), (Shape{2, 3, 3}));
  EXPECT_EQ(both->second[0].shape(), (Shape{2, 3, 3}));
  // The same as applying each.
  EXPECT_EQ(both->first[0].to_vector<float>(), forward->apply({x}, ctx)[0].to_vector<float>());
  EXPECT_EQ(both->second[0].to_vector<float>(), backward->apply({x}, ctx)[0].to_vector<float>());

  // Two different cells are two independent calls: still one op.
  auto gru = copy(L::GRU(2, {.return_sequences = true}), true);
  EXPECT_TRUE(L::apply_recurrent_pair(*forward, {x}, ctx, *gru, {x}, ctx).has_value());

  backward->set_activity_regularizer(keras::regularizers::Regularizer("l2"));
  EXPECT_FALSE(L::apply_recurrent_pair(*forward, {x}, ctx, *backward, {x}, ctx).has_value());
}

}  // namespace
