#pragma once
// SimpleRNN: h' = tanh(x.kernel + h.recurrent_kernel + bias) at each step of
// a (batch, time, features) input; kernel (features, units),
// recurrent_kernel (units, units), bias (units,): units * (features + units
// + 1) parameters, held by a cell sub-layer "simple_rnn_cell". Outputs,
// masks and initial states as LSTM (one state, h).
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct SimpleRNNOptions {
  std::string activation = "tanh";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer recurrent_initializer = "orthogonal";
  initializers::Initializer bias_initializer = "zeros";
  double dropout = 0.0;            // of the inputs, training only
  double recurrent_dropout = 0.0;  // of the recurrent state, training only
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;  // process the sequence in reverse, return it reversed
  bool stateful = false;      // keep the final state for the next call (fixed batch size)
  // Accepted for Keras compatibility: the fused kernel never unrolls, but as
  // in Keras (JAX) a masked step then outputs the previous step's output
  // (zeros before the first unmasked step), whatever zero_output_for_mask says.
  bool unroll = false;
  std::optional<std::uint64_t> seed;  // for the dropout masks
  // Masked steps output zeros instead of the previous h (Bidirectional sets
  // this when it returns sequences).
  bool zero_output_for_mask = false;
  std::string name;
  bool trainable = true;
};

class SimpleRNN : public Layer {
 public:
  explicit SimpleRNN(std::int64_t units, SimpleRNNOptions options = {});
  // Zeroes the state of a stateful layer.
  void reset_states() const;
};

}  // namespace keras::layers
