// The hand-written backward of ops::recurrent_sequence against central
// finite differences in float64: gradients with respect to the sequences,
// the initial states, kernel, recurrent_kernel and bias, through masks,
// go_backwards, dropout masks and every masked-output rule.
#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "recurrent_testing.hpp"

namespace keras {
namespace {

using ops::RecurrentCell;
using testing::RecurrentCase;
using Ts = std::vector<Tensor>;

// The differentiable inputs in the order the op's closure takes them.
Ts differentiable_inputs(const ops::RecurrentInputs& in) {
  Ts xs{in.sequences};
  for (const Tensor& s : in.initial_states) xs.push_back(s);
  xs.push_back(in.kernel);
  xs.push_back(in.recurrent_kernel);
  if (in.bias.defined()) xs.push_back(in.bias);
  return xs;
}

// Puts xs (as differentiable_inputs ordered them) back into a copy of base.
ops::RecurrentInputs with_inputs(const ops::RecurrentInputs& base, const Ts& xs) {
  ops::RecurrentInputs in = base;
  std::size_t i = 0;
  in.sequences = xs[i++];
  for (Tensor& s : in.initial_states) s = xs[i++];
  in.kernel = xs[i++];
  in.recurrent_kernel = xs[i++];
  if (base.bias.defined()) in.bias = xs[i++];
  return in;
}

// Every output, flattened into one vector, so each gets its own weights.
Tensor all_outputs(const Ts& outputs) {
  Ts flat;
  for (const Tensor& o : outputs) flat.push_back(ops::reshape(o, Shape{-1}));
  return ops::concatenate(flat, 0);
}

TEST(RecurrentGradient, MatchesFiniteDifferences) {
  std::uint64_t seed = 500;
  for (const RecurrentCase& c : testing::recurrent_cases()) {
    const ops::RecurrentInputs base = testing::make_inputs(c, seed += 13);
    const auto f = [&](const Ts& xs) {
      return all_outputs(ops::recurrent_sequence(with_inputs(base, xs), c.options));
    };
    EXPECT_TRUE(testing::check_gradients(f, differentiable_inputs(base))) << c.label;
  }
}

TEST(RecurrentGradient, OfEachOutputAlone) {
  // The other outputs then get zero gradients from the tape.
  for (RecurrentCell cell : {RecurrentCell::lstm, RecurrentCell::gru}) {
    RecurrentCase c;
    c.options.cell = cell;
    c.options.return_sequences = true;
    c.mask = {"1011", "1101"};
    const ops::RecurrentInputs base = testing::make_inputs(c, 77);
    const std::size_t outputs = cell == RecurrentCell::lstm ? 3 : 2;
    for (std::size_t k = 0; k < outputs; ++k) {
      const auto f = [&](const Ts& xs) {
        return ops::recurrent_sequence(with_inputs(base, xs), c.options)[k];
      };
      EXPECT_TRUE(testing::check_gradients(f, differentiable_inputs(base)))
          << "cell " << static_cast<int>(cell) << " output " << k;
    }
  }
}

TEST(RecurrentGradient, OnlyTheWatchedInputsGetGradients) {
  RecurrentCase c;
  const ops::RecurrentInputs in = testing::make_inputs(c, 21);
  GradientTape tape;
  tape.watch(in.recurrent_kernel);
  const Tensor y = ops::sum(ops::recurrent_sequence(in, c.options)[0]);
  const Ts grads = tape.gradient(y, Ts{in.recurrent_kernel, in.kernel});
  ASSERT_EQ(grads.size(), 2u);
  EXPECT_EQ(grads[0].shape(), in.recurrent_kernel.shape());
  double sum = 0;
  for (double v : grads[0].to_vector<double>()) sum += std::abs(v);
  EXPECT_GT(sum, 0.0);
  for (double v : grads[1].to_vector<double>()) EXPECT_EQ(v, 0.0);  // not watched
}

TEST(RecurrentGradient, MaskedStepsGiveNoWeightGradient) {
  // A row whose steps are all masked keeps its initial state: the weights
  // get no gradient from it, the initial state all of the output's.
  RecurrentCase c;
  c.options.cell = RecurrentCell::gru;
  c.batch = 1;
  c.mask = {"0000"};
  const ops::RecurrentInputs in = testing::make_inputs(c, 4);
  GradientTape tape;
  tape.watch(in.kernel);
  tape.watch(in.initial_states[0]);
  const Tensor y = ops::sum(ops::recurrent_sequence(in, c.options)[1]);
  const Ts grads = tape.gradient(y, Ts{in.kernel, in.initial_states[0]});
  for (double v : grads[0].to_vector<double>()) EXPECT_EQ(v, 0.0);
  for (double v : grads[1].to_vector<double>()) EXPECT_EQ(v, 1.0);
}

}  // namespace
}  // namespace keras
