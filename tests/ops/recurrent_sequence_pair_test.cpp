// ops::recurrent_sequence_pair (both directions of a Bidirectional at once,
// each on a thread of its own) against two recurrent_sequence calls: the
// same outputs and the same gradients, bit for bit, for every cell and
// option of the recurrent op tests, in float32 and float64, and on sizes
// large enough for the two calls to run on two threads.
#include <gtest/gtest.h>

#include "keras/gradient_tape.hpp"
#include "recurrent_testing.hpp"

namespace keras {
namespace {

using ops::RecurrentCell;
using testing::RecurrentCase;
using Ts = std::vector<Tensor>;

// The second call of a pair: inputs of its own, but the first call's
// sequences tensor (and mask), read the other way.
ops::RecurrentInputs second_of(const RecurrentCase& c, const ops::RecurrentInputs& first,
                               std::uint64_t seed) {
  ops::RecurrentInputs in = testing::make_inputs(c, seed);
  in.sequences = first.sequences;
  in.mask = first.mask;
  return in;
}

ops::RecurrentOptions reversed(ops::RecurrentOptions options) {
  options.go_backwards = !options.go_backwards;
  return options;
}

Ts differentiable(const ops::RecurrentInputs& in) {
  Ts xs;
  for (const Tensor& s : in.initial_states) xs.push_back(s);
  xs.push_back(in.kernel);
  xs.push_back(in.recurrent_kernel);
  if (in.bias.defined()) xs.push_back(in.bias);
  return xs;
}

struct Result {
  Ts outputs, gradients;
};

// The outputs of both calls, and the gradients of a weighted sum of them
// (each output with weights of its own) with respect to the sequences and
// both calls' initial states and weights.
Result run(const ops::RecurrentInputs& a, const ops::RecurrentOptions& a_options,
           const ops::RecurrentInputs& b, const ops::RecurrentOptions& b_options, bool as_pair) {
  Ts sources{a.sequences};
  for (const Tensor& t : differentiable(a)) sources.push_back(t);
  for (const Tensor& t : differentiable(b)) sources.push_back(t);
  GradientTape tape;
  for (const Tensor& t : sources) tape.watch(t);
  Result r;
  if (as_pair) {
    r.outputs = ops::recurrent_sequence_pair(a, a_options, b, b_options);
  } else {
    r.outputs = ops::recurrent_sequence(a, a_options);
    for (const Tensor& t : ops::recurrent_sequence(b, b_options)) r.outputs.push_back(t);
  }
  Tensor target = Tensor::zeros(Shape{}, a.sequences.dtype());
  std::uint64_t seed = 900;
  for (const Tensor& y : r.outputs) {
    const Tensor w = testing::random_tensor(y.shape(), -1.0, 1.0, ++seed).astype(y.dtype());
    target = ops::add(target, ops::sum(ops::multiply(y, w)));
  }
  r.gradients = tape.gradient(target, sources);
  return r;
}

void expect_identical(const Ts& expected, const Ts& actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(expected[i].shape(), actual[i].shape()) << what << " #" << i;
    ASSERT_EQ(expected[i].dtype(), actual[i].dtype()) << what << " #" << i;
    EXPECT_EQ(expected[i].to_vector<double>(), actual[i].to_vector<double>()) << what << " #" << i;
  }
}

void expect_pair_matches_two_calls(const ops::RecurrentInputs& a,
                                   const ops::RecurrentOptions& a_options,
                                   const ops::RecurrentInputs& b,
                                   const ops::RecurrentOptions& b_options,
                                   const std::string& label) {
  const Result two = run(a, a_options, b, b_options, false);
  const Result pair = run(a, a_options, b, b_options, true);
  expect_identical(two.outputs, pair.outputs, label + ": outputs");
  expect_identical(two.gradients, pair.gradients, label + ": gradients");
}

TEST(RecurrentSequencePair, MatchesTwoCallsForEveryCase) {
  std::uint64_t seed = 700;
  for (const RecurrentCase& c : testing::recurrent_cases()) {
    const ops::RecurrentInputs a = testing::make_inputs(c, seed += 17);
    const ops::RecurrentInputs b = second_of(c, a, seed + 5);
    expect_pair_matches_two_calls(a, c.options, b, reversed(c.options), c.label + " float64");
    const ops::RecurrentInputs a32 = testing::as_float32(a);
    ops::RecurrentInputs b32 = testing::as_float32(b);
    b32.sequences = a32.sequences;
    expect_pair_matches_two_calls(a32, c.options, b32, reversed(c.options), c.label + " float32");
  }
}

// Enough work for each call to get a thread of its own (with 2 threads),
// and, with batch 13, rows the packed step products split unevenly.
TEST(RecurrentSequencePair, MatchesTwoCallsOnTwoThreads) {
  for (RecurrentCell cell : {RecurrentCell::lstm, RecurrentCell::gru, RecurrentCell::simple_rnn}) {
    for (bool reset_after : {true, false}) {
      if (cell != RecurrentCell::gru && !reset_after) continue;
      RecurrentCase c;
      c.label =
          "cell " + std::to_string(static_cast<int>(cell)) + (reset_after ? "" : " reset_before");
      c.options.cell = cell;
      c.options.reset_after = reset_after;
      c.options.return_sequences = true;
      c.options.masked_output = ops::MaskedOutput::zeros;
      c.batch = 13;
      c.time = 20;
      c.features = 24;
      c.units = 40;
      c.initial_states = false;
      for (std::int64_t b = 0; b < c.batch; ++b) {
        std::string row(static_cast<std::size_t>(c.time), '1');
        for (std::int64_t t = 0; t < b % 4; ++t) row[static_cast<std::size_t>(t)] = '0';
        c.mask.push_back(row);
      }
      const ops::RecurrentInputs a = testing::as_float32(testing::make_inputs(c, 41));
      ops::RecurrentInputs b = testing::as_float32(testing::make_inputs(c, 43));
      b.sequences = a.sequences;
      b.mask = a.mask;
      expect_pair_matches_two_calls(a, c.options, b, reversed(c.options), c.label);
    }
  }
}

TEST(RecurrentSequencePair, TakesTwoDifferentCells) {
  RecurrentCase lstm;
  lstm.options.cell = RecurrentCell::lstm;
  lstm.options.return_sequences = true;
  lstm.mask = {"1101", "0111"};
  RecurrentCase gru = lstm;
  gru.options.cell = RecurrentCell::gru;
  gru.units = 5;
  const ops::RecurrentInputs a = testing::make_inputs(lstm, 3);
  const ops::RecurrentInputs b = second_of(gru, a, 4);
  expect_pair_matches_two_calls(a, lstm.options, b, reversed(gru.options), "lstm then gru");
}

TEST(RecurrentSequencePair, RejectsTwoSequencesTensors) {
  RecurrentCase c;
  const ops::RecurrentInputs a = testing::make_inputs(c, 5);
  const ops::RecurrentInputs b = testing::make_inputs(c, 6);
  const std::string message = testing::error_message_of(
      [&] { ops::recurrent_sequence_pair(a, c.options, b, reversed(c.options)); });
  EXPECT_NE(message.find("same sequences tensor"), std::string::npos) << message;
}

TEST(RecurrentSequencePair, ChecksEachCall) {
  RecurrentCase c;
  const ops::RecurrentInputs a = testing::make_inputs(c, 7);
  ops::RecurrentInputs b = second_of(c, a, 8);
  b.kernel = Tensor::zeros(Shape{2, 2}, DType::float64);
  const std::string message = testing::error_message_of(
      [&] { ops::recurrent_sequence_pair(a, c.options, b, reversed(c.options)); });
  EXPECT_NE(message.find("kernel of shape"), std::string::npos) << message;
}

}  // namespace
}  // namespace keras
