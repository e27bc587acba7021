// SimpleRNN (keras/src/layers/rnn/simple_rnn.py): the options become the
// shared recurrent layer of rnn.cpp with a "simple_rnn_cell".
#include "keras/layers/simple_rnn.hpp"

#include "layers/layer_config.hpp"
#include "layers/rnn.hpp"

namespace keras::layers {

SimpleRNN::SimpleRNN(std::int64_t units, SimpleRNNOptions o) {
  RecurrentConfig c;
  c.class_name = "SimpleRNN";
  c.units = units;
  c.activation = std::move(o.activation);
  c.use_bias = o.use_bias;
  c.kernel_initializer = std::move(o.kernel_initializer);
  c.recurrent_initializer = std::move(o.recurrent_initializer);
  c.bias_initializer = std::move(o.bias_initializer);
  c.dropout = o.dropout;
  c.recurrent_dropout = o.recurrent_dropout;
  c.return_sequences = o.return_sequences;
  c.return_state = o.return_state;
  c.go_backwards = o.go_backwards;
  c.stateful = o.stateful;
  c.unroll = o.unroll;
  c.seed = o.seed;
  c.zero_output_for_mask = o.zero_output_for_mask;
  c.name = std::move(o.name);
  c.trainable = o.trainable;
  impl_ = make_recurrent_layer(std::move(c));
}

void SimpleRNN::reset_states() const { static_cast<RNNImpl&>(impl()).reset_states(); }

std::shared_ptr<LayerImpl> simple_rnn_from_config(const LayerConfig& c) {
  return make_recurrent_layer(recurrent_config_from(c));
}

}  // namespace keras::layers
