#pragma once
// LSTM: a long short-term memory layer over (batch, time, features) inputs.
// Per step, with the gates [i | f | c | o] as column blocks of kernel
// (features, 4*units), recurrent_kernel (units, 4*units) and bias (4*units,):
//   z = x.kernel + h.recurrent_kernel + bias
//   c' = sigmoid(z_f) c + sigmoid(z_i) tanh(z_c);  h' = sigmoid(z_o) tanh(c')
// 4 * units * (features + units + 1) parameters, held (as in Keras 3) by a
// cell sub-layer named "lstm_cell". The output is the last h, (batch, units),
// or every h with return_sequences, (batch, time, units); return_state adds
// the final [h, c]. Called on a list {x, h0, c0} it starts from those states.
// A (batch, time) mask makes masked steps keep the previous states.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct LSTMOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer recurrent_initializer = "orthogonal";
  initializers::Initializer bias_initializer = "zeros";
  // Starts the forget gate's bias at 1 (and the rest from bias_initializer).
  bool unit_forget_bias = true;
  double dropout = 0.0;               // of the inputs, training only
  double recurrent_dropout = 0.0;     // of the recurrent state, training only
  std::optional<std::uint64_t> seed;  // for the dropout masks
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;  // process the sequence in reverse, return it reversed
  bool stateful = false;      // keep the final states for the next call (fixed batch size)
  // Accepted for Keras compatibility: the fused kernel never unrolls, but as
  // in Keras (JAX) a masked step then outputs the previous step's output
  // (zeros before the first unmasked step), whatever zero_output_for_mask says.
  bool unroll = false;
  // Masked steps output zeros instead of the previous h (Bidirectional sets
  // this when it returns sequences).
  bool zero_output_for_mask = false;
  std::string name;
  bool trainable = true;
};

class LSTM : public Layer {
 public:
  explicit LSTM(std::int64_t units, LSTMOptions options = {});
  // Zeroes the states of a stateful layer.
  void reset_states() const;
};

}  // namespace keras::layers
