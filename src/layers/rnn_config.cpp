// Reading and writing a SimpleRNN, LSTM or GRU config as Keras writes it: one
// flat object with the RNN base fields (return_sequences, ...,
// zero_output_for_mask) and the cell's (units, activation, ..., seed).
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
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

// Keras' RNN.get_config (the base fields) merged with LSTM / GRU /
// SimpleRNN.get_config (the cell's, in their order). kerascpp's recurrent
// layers take no regularizers or constraints: those are null.
void write_recurrent_config(detail::ConfigWriter& w, const RecurrentConfig& r) {
  const bool simple = r.class_name == "SimpleRNN";
  const bool lstm = r.class_name == "LSTM";
  w.base()
      .set("return_sequences", r.return_sequences)
      .set("return_state", r.return_state)
      .set("go_backwards", r.go_backwards)
      .set("stateful", r.stateful)
      .set("unroll", r.unroll)
      .set("zero_output_for_mask", r.zero_output_for_mask)
      .set("units", r.units)
      .set("activation", r.activation);
  if (!simple) w.set("recurrent_activation", r.recurrent_activation);
  w.set("use_bias", r.use_bias)
      .initializer("kernel_initializer", r.kernel_initializer)
      .initializer("recurrent_initializer", r.recurrent_initializer)
      .initializer("bias_initializer", r.bias_initializer);
  if (lstm) w.set("unit_forget_bias", r.unit_forget_bias);
  w.set("kernel_regularizer", nullptr)
      .set("recurrent_regularizer", nullptr)
      .set("bias_regularizer", nullptr)
      .regularizer("activity_regularizer", w.layer().activity_regularizer())
      .set("kernel_constraint", nullptr)
      .set("recurrent_constraint", nullptr)
      .set("bias_constraint", nullptr)
      .set("dropout", r.dropout)
      .set("recurrent_dropout", r.recurrent_dropout);
  if (r.class_name == "GRU") w.set("reset_after", r.reset_after);
  if (!simple) w.set("seed", r.seed ? detail::json(*r.seed) : detail::json(nullptr));
  // Keras' RNN.call(sequences, initial_state=None, mask=None, training=False).
  w.call_arguments({.training = true, .mask = true});
  write_sequence_build_config(w);
}

void write_sequence_build_config(detail::ConfigWriter& w) {
  const LayerImpl& layer = w.layer();
  const std::vector<Shape>& shapes = layer.build_shapes();
  if (!layer.built() || shapes.empty()) {
    w.without_build_config();
    return;
  }
  detail::json build = detail::json::object();
  if (shapes.size() == 1) {
    build["input_shape"] = detail::shape_json(shapes[0]);
  } else {
    // initial_state=h (a call not on a list, as the model's config records
    // it) is one shape; initial_state=[h, ...] a list of them.
    const auto nodes = layer.inbound_nodes();
    const bool one_state = shapes.size() == 2 && !nodes.empty() && !nodes.front()->inputs_as_list;
    detail::json states = detail::json::array();
    for (std::size_t i = 1; i < shapes.size(); ++i) states.push_back(detail::shape_json(shapes[i]));
    if (one_state) states = detail::json(states[0]);
    detail::json dict = detail::json::object();
    dict["sequences_shape"] = detail::shape_json(shapes[0]);
    dict["initial_state_shape"] = std::move(states);
    build["shapes_dict"] = std::move(dict);
  }
  w.build_config(std::move(build));
}

}  // namespace keras::layers
