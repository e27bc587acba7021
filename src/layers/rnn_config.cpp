// Reading a SimpleRNN, LSTM or GRU config as Keras writes it: one flat
// object with the RNN base fields (return_sequences, ..., zero_output_for_mask)
// and the cell's (units, activation, ..., seed).
#include "layers/layer_config.hpp"
#include "layers/rnn.hpp"

namespace keras::layers {

RecurrentConfig recurrent_config_from(const LayerConfig& c) {
  for (const char* unsupported :
       {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint"}) {
    c.require_null(unsupported);
  }
  if (c.boolean("time_major", false)) {
    throw Error(c.where("time_major") + " is true; kerascpp reads (batch, time, features) inputs.");
  }
  const auto common = c.common();
  RecurrentConfig r;
  r.class_name = c.class_name();
  r.units = c.integer("units");
  r.activation = c.activation("activation");
  if (r.class_name != "SimpleRNN") r.recurrent_activation = c.activation("recurrent_activation");
  r.use_bias = c.boolean("use_bias", true);
  r.kernel_initializer = c.initializer("kernel_initializer", "glorot_uniform");
  r.recurrent_initializer = c.initializer("recurrent_initializer", "orthogonal");
  r.bias_initializer = c.initializer("bias_initializer", "zeros");
  r.unit_forget_bias = c.boolean("unit_forget_bias", true);
  r.dropout = c.number("dropout", 0.0);
  r.recurrent_dropout = c.number("recurrent_dropout", 0.0);
  r.seed = c.seed("seed");
  r.return_sequences = c.boolean("return_sequences", false);
  r.return_state = c.boolean("return_state", false);
  r.go_backwards = c.boolean("go_backwards", false);
  r.stateful = c.boolean("stateful", false);
  r.unroll = c.boolean("unroll", false);
  r.zero_output_for_mask = c.boolean("zero_output_for_mask", false);
  r.reset_after = c.boolean("reset_after", true);
  r.name = common.name;
  r.trainable = common.trainable;
  return r;
}

}  // namespace keras::layers
