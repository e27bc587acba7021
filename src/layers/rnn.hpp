#pragma once
// What every recurrent layer (SimpleRNN, LSTM, GRU) shares and what the
// wrappers around them (Bidirectional) rely on: Keras 3's RNN base
// (keras/src/layers/rnn/rnn.py) seen from outside.
//
// Calling convention (as Keras' RNN.call(sequences, initial_state, mask)):
//   inputs[0]        the sequences, (batch, time, features)
//   inputs[1..]      optional initial states, one per state (LSTM: h then c),
//                    each (batch, units): a call on a list {x, h0[, c0]}
//   ctx.masks[0]     optional (batch, time) bool mask; masked steps keep the
//                    previous state; with return_sequences a masked step's
//                    output repeats the previous output, or is zero when
//                    zero_output_for_mask() (Bidirectional forces that on
//                    when it returns sequences, as Keras does)
// Outputs: the last output, or the whole sequence with return_sequences
// (batch, time, units), followed by the final states with return_state.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

class RNNImpl : public LayerImpl {
 public:
  using LayerImpl::LayerImpl;

  virtual std::int64_t units() const = 0;
  // 1 for SimpleRNN and GRU, 2 for LSTM (h, c).
  virtual int num_states() const = 0;
  virtual bool return_sequences() const = 0;
  virtual bool return_state() const = 0;
  virtual bool go_backwards() const = 0;
  virtual bool zero_output_for_mask() const = 0;
  virtual void set_zero_output_for_mask(bool zero) = 0;

  // A new, unbuilt layer of the same class with the same options, named
  // `name`, with go_backwards flipped when `reverse` is true. Bidirectional
  // makes its forward and backward layers this way, as Keras does by
  // re-creating the layer from its config.
  virtual std::shared_ptr<RNNImpl> copy(const std::string& name, bool reverse) const = 0;

  // Stateful layers keep their final states between calls; this zeroes them.
  virtual void reset_states() {}
};

// ---- SimpleRNN, LSTM and GRU: one implementation (src/layers/rnn.cpp) ----

// Everything that configures one of them; their options structs become this.
struct RecurrentConfig {
  std::string class_name;  // "SimpleRNN", "LSTM" or "GRU"
  std::int64_t units = 0;
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";  // not SimpleRNN
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer recurrent_initializer = "orthogonal";
  initializers::Initializer bias_initializer = "zeros";
  bool unit_forget_bias = true;  // LSTM
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<std::uint64_t> seed;
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  bool zero_output_for_mask = false;
  bool reset_after = true;  // GRU
  std::string name;
  bool trainable = true;
};

// Validates the config as Keras' constructors do (units > 0, known
// activations, dropout clamped to [0, 1]) and makes the layer. Its weights
// live in a cell sub-layer ("lstm_cell", ...), as in Keras 3.
std::shared_ptr<RNNImpl> make_recurrent_layer(RecurrentConfig config);

class LayerConfig;
// Reads what SimpleRNN, LSTM and GRU configs share (Keras' flat RNN config:
// the RNN base fields and the cell's) for the class class_name.
RecurrentConfig recurrent_config_from(const LayerConfig& config);

// The config of a layer make_recurrent_layer made (for tests and wrappers);
// throws keras::Error for any other layer.
const RecurrentConfig& recurrent_config(const LayerImpl& layer);

// Bidirectional's two layers, each applied to its inputs with its context
// (the same sequences, their own initial states): when both are layers
// make_recurrent_layer made (without activity regularizers), builds them if
// need be and runs both directions as one ops::recurrent_sequence_pair, each
// on a thread of its own, puts what first.apply(...) and second.apply(...)
// would return into first_outputs and second_outputs (replaced, their memory
// reused) and returns true. Otherwise returns false, having done nothing:
// the caller then applies each layer.
bool apply_recurrent_pair(RNNImpl& first, const std::vector<Tensor>& first_inputs,
                          const CallContext& first_ctx, RNNImpl& second,
                          const std::vector<Tensor>& second_inputs, const CallContext& second_ctx,
                          std::vector<Tensor>& first_outputs, std::vector<Tensor>& second_outputs);
// The same returning both lists, or nullopt when the layers cannot run as a pair.
std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> apply_recurrent_pair(
    RNNImpl& first, const std::vector<Tensor>& first_inputs, const CallContext& first_ctx,
    RNNImpl& second, const std::vector<Tensor>& second_inputs, const CallContext& second_ctx);

// Writes a SimpleRNN, LSTM or GRU config as Keras' get_config does: one flat
// object, the RNN base fields then the cell's (rnn_config.cpp).
void write_recurrent_config(detail::ConfigWriter& writer, const RecurrentConfig& config);
// The build_config of a layer called on sequences, optionally followed by
// initial states (SimpleRNN, LSTM, GRU, Bidirectional): Keras' build(
// sequences_shape, initial_state_shape=None) gives {"input_shape": ...}
// for the sequences alone, else {"shapes_dict": {"sequences_shape": ...,
// "initial_state_shape": [...]}}.
void write_sequence_build_config(detail::ConfigWriter& writer);

}  // namespace keras::layers
