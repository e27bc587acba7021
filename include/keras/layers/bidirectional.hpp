#pragma once
// Bidirectional: runs a recurrent layer (SimpleRNN, LSTM, GRU) over the
// sequence forwards and a second copy of it backwards, then merges the two
// outputs. Both copies are fresh layers made from the wrapped one's options
// (named forward_<name> and backward_<name>, the backward one with
// go_backwards), so the wrapper holds twice the wrapped layer's parameters:
// Bidirectional(LSTM(75, {.return_sequences = true}), {.merge_mode = "ave"})
// on (None, 50, 64) gives (None, 50, 75) with 2 * 42,000 parameters.
//
// With return_sequences the backward output is put back in time order before
// merging, and masked time steps give zeros in both directions. Called on a
// list {x, initial states...}, the first half of the states starts the
// forward layer and the second half the backward one. With return_state the
// outputs are the merged output(s), the forward states, then the backward
// states.
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct BidirectionalOptions {
  // "concat" (forward then backward on the last axis), "sum", "mul", "ave",
  // or std::nullopt (Keras' None: the two outputs are returned unmerged).
  std::optional<std::string> merge_mode = "concat";
  // Optional: the layer that reads the sequence backwards (it must have
  // go_backwards set, and the same return_sequences and return_state as
  // layer). It is used as given, not copied. Unset: a copy of layer.
  Layer backward_layer;
  std::string name;
  bool trainable = true;
};

class Bidirectional : public Layer {
 public:
  // layer must be a recurrent layer; throws keras::Error otherwise, or for an
  // unknown merge_mode.
  explicit Bidirectional(Layer layer, BidirectionalOptions options = {});
  Layer forward_layer() const;
  Layer backward_layer() const;
};

}  // namespace keras::layers
