// LSTM (keras/src/layers/rnn/lstm.py): the options become the shared
// recurrent layer of rnn.cpp with an "lstm_cell".
#include "keras/layers/lstm.hpp"

#include "layers/layer_config.hpp"
#include "layers/rnn.hpp"

namespace keras::layers {

LSTM::LSTM(std::int64_t units, LSTMOptions o) {
  RecurrentConfig c;
  c.class_name = "LSTM";
  c.units = units;
  c.activation = std::move(o.activation);
  c.recurrent_activation = std::move(o.recurrent_activation);
  c.use_bias = o.use_bias;
  c.kernel_initializer = std::move(o.kernel_initializer);
  c.recurrent_initializer = std::move(o.recurrent_initializer);
  c.bias_initializer = std::move(o.bias_initializer);
  c.unit_forget_bias = o.unit_forget_bias;
  c.dropout = o.dropout;
  c.recurrent_dropout = o.recurrent_dropout;
  c.seed = o.seed;
  c.return_sequences = o.return_sequences;
  c.return_state = o.return_state;
  c.go_backwards = o.go_backwards;
  c.stateful = o.stateful;
  c.unroll = o.unroll;
  c.zero_output_for_mask = o.zero_output_for_mask;
  c.name = std::move(o.name);
  c.trainable = o.trainable;
  impl_ = make_recurrent_layer(std::move(c));
}

void LSTM::reset_states() const { static_cast<RNNImpl&>(impl()).reset_states(); }

std::shared_ptr<LayerImpl> lstm_from_config(const LayerConfig& c) {
  return make_recurrent_layer(recurrent_config_from(c));
}

}  // namespace keras::layers
