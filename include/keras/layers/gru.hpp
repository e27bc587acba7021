#pragma once
// GRU: a gated recurrent unit layer over (batch, time, features) inputs.
// Gates [z | r | h] (update, reset, candidate) are column blocks of kernel
// (features, 3*units) and recurrent_kernel (units, 3*units). Per step:
//   z = sigmoid(x.K_z + h.R_z + b_z), r = sigmoid(x.K_r + h.R_r + b_r)
//   reset_after=True (default): hh = tanh(x.K_h + b_h + r * (h.R_h + b'_h)),
//     bias (2, 3*units): input bias, then recurrent bias;
//   reset_after=False: hh = tanh(x.K_h + (r * h).R_h + b_h), bias (3*units,)
//   h' = z h + (1 - z) hh
// Parameters (reset_after): 3*units*(features + units) + 6*units, held by a
// cell sub-layer "gru_cell". Outputs, masks and initial states as LSTM.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GRUOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer recurrent_initializer = "orthogonal";
  initializers::Initializer bias_initializer = "zeros";
  double dropout = 0.0;               // of the inputs, training only
  double recurrent_dropout = 0.0;     // of the recurrent state, training only
  std::optional<std::uint64_t> seed;  // for the dropout masks
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;  // process the sequence in reverse, return it reversed
  bool stateful = false;      // keep the final state for the next call (fixed batch size)
  // Accepted for Keras compatibility: the fused kernel never unrolls, but as
  // in Keras (JAX) a masked step then outputs the previous step's output
  // (zeros before the first unmasked step), whatever zero_output_for_mask says.
  bool unroll = false;
  bool reset_after = true;
  // Masked steps output zeros instead of the previous h (Bidirectional sets
  // this when it returns sequences).
  bool zero_output_for_mask = false;
  std::string name;
  bool trainable = true;
};

class GRU : public Layer {
 public:
  explicit GRU(std::int64_t units, GRUOptions options = {});
  // Zeroes the state of a stateful layer.
  void reset_states() const;
};

}  // namespace keras::layers
