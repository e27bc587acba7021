#pragma once
// The fused recurrent op behind SimpleRNN, LSTM and GRU: a whole sequence
// forward in one call, with a hand-written backward recorded on the
// GradientTape (kernels in backend/cpu/recurrent.hpp). Internal: the layers
// call it; it is not part of the public keras::ops.
#include <string>
#include <vector>

#include "backend/cpu/recurrent.hpp"
#include "backend/small_object_pool.hpp"
#include "keras/tensor.hpp"

namespace keras::ops {

using backend::cpu::MaskedOutput;
using backend::cpu::RecurrentCell;

struct RecurrentOptions {
  RecurrentCell cell = RecurrentCell::lstm;
  // Keras activation names; both must be element-wise.
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";  // unused by SimpleRNN
  bool reset_after = true;                       // GRU only
  bool go_backwards = false;
  bool return_sequences = false;
  MaskedOutput masked_output = MaskedOutput::previous_state;
};

struct RecurrentInputs {
  Tensor sequences;  // (batch, time, features), float32 or float64
  // h (LSTM: h, c), each (batch, units); pooled, so a layer's call that
  // fills it each step makes no operator new.
  std::vector<Tensor, backend::PoolAllocator<Tensor>> initial_states;
  Tensor kernel;            // (features, gates * units)
  Tensor recurrent_kernel;  // (units, gates * units)
  Tensor bias;              // (gates * units,), GRU reset_after (2, 3 * units), or undefined
  Tensor mask;              // optional (batch, time) bool: false steps keep the previous states
  // Optional dropout masks, constant over time, values 0 or 1 / (1 - rate):
  // (1 or gates, batch, features) and (1 or gates, batch, units).
  Tensor input_dropout;
  Tensor recurrent_dropout;
};

// The sequence output ((batch, time, units) with return_sequences, else the
// last output (batch, units)), then the final states. Differentiable in
// sequences, initial states, kernel, recurrent_kernel and bias. Throws
// keras::Error naming the op and the shapes when they do not fit.
std::vector<Tensor> recurrent_sequence(const RecurrentInputs& inputs,
                                       const RecurrentOptions& options);

// Two recurrent_sequence calls on the same sequences tensor (the two
// directions of a Bidirectional), computed at the same time: with two
// threads each call's kernels run on a thread of their own, forward and
// backward, instead of splitting every small per-step GEMM between the
// threads. Returns the first call's outputs, then the second's, with the
// same values as two recurrent_sequence calls; recorded as one op whose
// gradient for the sequences is the sum of both calls'. Throws keras::Error
// when either call is invalid or the sequences are two different tensors.
std::vector<Tensor> recurrent_sequence_pair(const RecurrentInputs& first_inputs,
                                            const RecurrentOptions& first_options,
                                            const RecurrentInputs& second_inputs,
                                            const RecurrentOptions& second_options);

// recurrent_sequence_pair into outputs (replaced, its memory reused).
void recurrent_sequence_pair_into(const RecurrentInputs& first_inputs,
                                  const RecurrentOptions& first_options,
                                  const RecurrentInputs& second_inputs,
                                  const RecurrentOptions& second_options,
                                  std::vector<Tensor>& outputs);

// The same through the plain reference kernel (not recorded): what the
// tests compare recurrent_sequence with.
std::vector<Tensor> reference_recurrent_sequence(const RecurrentInputs& inputs,
                                                 const RecurrentOptions& options);

// Whether name is an activation the fused kernels can apply (element-wise).
bool is_recurrent_activation(const std::string& name);

}  // namespace keras::ops
