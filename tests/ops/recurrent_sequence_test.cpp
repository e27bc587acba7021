// ops::recurrent_sequence (the fused SimpleRNN / LSTM / GRU kernel) against
// the plain reference kernel, plus the mask, go_backwards and error rules.
#include <gtest/gtest.h>

#include <cmath>

#include "autodiff/tape.hpp"
#include "keras/gradient_tape.hpp"
#include "recurrent_testing.hpp"

namespace keras {
namespace {

using ops::RecurrentCell;
using testing::RecurrentCase;

void expect_near_all(const Tensor& a, const Tensor& b, double tol, const std::string& what) {
  ASSERT_EQ(a.shape(), b.shape()) << what;
  const auto va = a.to_vector<double>(), vb = b.to_vector<double>();
  int reported = 0;
  for (std::size_t i = 0; i < va.size(); ++i) {
    if (!(std::abs(va[i] - vb[i]) <= tol * (1.0 + std::abs(vb[i]))) && reported++ < 3) {
      ADD_FAILURE() << what << " element " << i << ": fused " << va[i] << ", reference " << vb[i];
    }
  }
}

void expect_matches_reference(const RecurrentCase& c, const ops::RecurrentInputs& in, double tol) {
  const auto fused = ops::recurrent_sequence(in, c.options);
  const auto reference = ops::reference_recurrent_sequence(in, c.options);
  ASSERT_EQ(fused.size(), reference.size()) << c.label;
  for (std::size_t i = 0; i < fused.size(); ++i) {
    expect_near_all(fused[i], reference[i], tol, c.label + " output " + std::to_string(i));
  }
}

TEST(RecurrentSequence, MatchesTheReferenceInFloat64) {
  std::uint64_t seed = 100;
  for (const RecurrentCase& c : testing::recurrent_cases()) {
    expect_matches_reference(c, testing::make_inputs(c, seed += 7), 1e-12);
  }
}

TEST(RecurrentSequence, MatchesTheReferenceInFloat32) {
  std::uint64_t seed = 200;
  for (const RecurrentCase& c : testing::recurrent_cases()) {
    expect_matches_reference(c, testing::as_float32(testing::make_inputs(c, seed += 7)), 2e-6);
  }
}

TEST(RecurrentSequence, MatchesTheReferenceOnALargeBatchAcrossThreads) {
  for (RecurrentCell cell : {RecurrentCell::simple_rnn, RecurrentCell::lstm, RecurrentCell::gru}) {
    RecurrentCase c;
    c.label = "large";
    c.options.cell = cell;
    c.options.return_sequences = true;
    c.batch = 48;
    c.time = 6;
    c.features = 20;
    c.units = 40;
    for (std::int64_t b = 0; b < c.batch; ++b) c.mask.push_back(b % 3 == 0 ? "110111" : "111111");
    const ops::RecurrentInputs in = testing::make_inputs(c, 9);
    // Both float32 kernels stay close to the float64 result (the plain one,
    // summing naively in float32, a little less).
    const auto exact = ops::reference_recurrent_sequence(in, c.options);
    const auto fused = ops::recurrent_sequence(testing::as_float32(in), c.options);
    const auto plain = ops::reference_recurrent_sequence(testing::as_float32(in), c.options);
    for (std::size_t i = 0; i < exact.size(); ++i) {
      expect_near_all(fused[i], exact[i], 2e-6,
                      "fused, cell " + std::to_string(static_cast<int>(cell)));
      expect_near_all(plain[i], exact[i], 1e-5,
                      "plain, cell " + std::to_string(static_cast<int>(cell)));
    }
  }
}

TEST(RecurrentSequence, LstmStepByHand) {
  // One unit, one feature, one step: z = x k + h r + b per gate [i f c o].
  ops::RecurrentInputs in;
  in.sequences = Tensor({1, 1, 1}, {0.5f});
  in.initial_states = {Tensor({1, 1}, {0.2f}), Tensor({1, 1}, {-0.3f})};
  in.kernel = Tensor({1, 4}, {0.1f, 0.2f, 0.3f, 0.4f});
  in.recurrent_kernel = Tensor({1, 4}, {-0.1f, 0.5f, 0.6f, -0.2f});
  in.bias = Tensor({4}, {0.0f, 1.0f, 0.0f, 0.0f});
  const auto out = ops::recurrent_sequence(in, {});
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  const double i = sigmoid(0.05 - 0.02), f = sigmoid(0.1 + 0.1 + 1.0);
  const double g = std::tanh(0.15 + 0.12), o = sigmoid(0.2 - 0.04);
  const double c = f * -0.3 + i * g, h = o * std::tanh(c);
  EXPECT_NEAR(out[0].item<double>(), h, 1e-6);
  EXPECT_NEAR(out[1].item<double>(), h, 1e-6);
  EXPECT_NEAR(out[2].item<double>(), c, 1e-6);
}

TEST(RecurrentSequence, AFullyMaskedRowKeepsItsInitialStates) {
  RecurrentCase c;
  c.options.cell = RecurrentCell::lstm;
  c.options.return_sequences = true;
  c.mask = {"0000", "1111"};
  const ops::RecurrentInputs in = testing::make_inputs(c, 5);
  const auto out = ops::recurrent_sequence(in, c.options);
  const auto h0 = in.initial_states[0].to_vector<double>();
  const auto c0 = in.initial_states[1].to_vector<double>();
  const auto y = out[0].to_vector<double>();
  const auto h = out[1].to_vector<double>(), cs = out[2].to_vector<double>();
  for (std::int64_t u = 0; u < c.units; ++u) {
    EXPECT_EQ(h[u], h0[u]);
    EXPECT_EQ(cs[u], c0[u]);
    for (std::int64_t t = 0; t < c.time; ++t)
      EXPECT_EQ(y[t * c.units + u], h0[u]);  // previous state
  }
  c.options.masked_output = ops::MaskedOutput::zeros;
  const auto zeroed = ops::recurrent_sequence(in, c.options)[0].to_vector<double>();
  for (std::int64_t i = 0; i < c.time * c.units; ++i) EXPECT_EQ(zeroed[i], 0.0);
}

TEST(RecurrentSequence, GoBackwardsIsTheForwardPassOverTheReversedSequence) {
  for (RecurrentCell cell : {RecurrentCell::simple_rnn, RecurrentCell::lstm, RecurrentCell::gru}) {
    RecurrentCase c;
    c.options.cell = cell;
    c.options.return_sequences = true;
    c.mask = {"1101", "0111"};
    ops::RecurrentInputs in = testing::make_inputs(c, 11);
    c.options.go_backwards = true;
    const auto backwards = ops::recurrent_sequence(in, c.options);
    in.sequences = ops::flip(in.sequences, 1);
    in.mask = ops::flip(in.mask, 1);
    c.options.go_backwards = false;
    const auto reversed = ops::recurrent_sequence(in, c.options);
    for (std::size_t i = 0; i < backwards.size(); ++i) {
      expect_near_all(backwards[i], reversed[i], 1e-12, "output " + std::to_string(i));
    }
  }
}

TEST(RecurrentSequence, RecordsOneOpUnderATapeAndNoneWithout) {
  RecurrentCase c;
  const ops::RecurrentInputs in = testing::make_inputs(c, 3);
  ops::recurrent_sequence(in, c.options);
  EXPECT_EQ(autodiff::recorded_op_count(), 0u);
  GradientTape tape;
  tape.watch(in.kernel);
  ops::recurrent_sequence(in, c.options);
  EXPECT_EQ(autodiff::recorded_op_count(), 1u);
}

TEST(RecurrentSequence, RejectsInputsThatDoNotFit) {
  RecurrentCase c;
  ops::RecurrentInputs in = testing::make_inputs(c, 3);
  auto message = [&](ops::RecurrentInputs bad, ops::RecurrentOptions opt = {}) {
    return testing::error_message_of([&] { ops::recurrent_sequence(bad, opt); });
  };
  ops::RecurrentInputs bad = in;
  bad.sequences = Tensor::zeros(Shape{2, 3}, DType::float64);
  EXPECT_NE(message(bad).find("rank 3 (batch, time, features), got shape (2, 3)"),
            std::string::npos);
  bad = in;
  bad.kernel = Tensor::zeros(Shape{4, 12}, DType::float64);
  EXPECT_NE(message(bad).find("kernel of shape (3, 12)"), std::string::npos);
  bad = in;
  bad.initial_states.pop_back();
  EXPECT_NE(message(bad).find("expects 2 initial states, got 1"), std::string::npos);
  bad = in;
  bad.mask = Tensor::ones(Shape{2, 5}, DType::bool_);
  EXPECT_NE(message(bad).find("mask of shape (2, 4)"), std::string::npos);
  bad = in;
  bad.sequences = Tensor::zeros(Shape{2, 0, 3}, DType::float64);
  EXPECT_NE(message(bad).find("at least one time step"), std::string::npos);
  ops::RecurrentOptions softmax;
  softmax.activation = "softmax";
  EXPECT_NE(message(in, softmax).find("not element-wise"), std::string::npos);
  bad = in;
  bad.kernel = in.kernel.astype(DType::float32);
  EXPECT_NE(message(bad).find("the kernel has dtype float32"), std::string::npos);
}

}  // namespace
}  // namespace keras
