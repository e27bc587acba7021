#pragma once
// TimeDistributed: applies one layer to every time step of a (batch, time,
// ...) input with the same weights, giving (batch, time) + the layer's output
// shape without its batch axis. TimeDistributed(Dense(6)) on (None, 50, 200)
// gives (None, 50, 6) with Dense's 200*6 + 6 parameters; it computes the same
// as Dense(6) alone, which already acts on the last axis only.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct TimeDistributedOptions {
  std::string name;
  bool trainable = true;
};

class TimeDistributed : public Layer {
 public:
  // layer must take one input and give one output.
  explicit TimeDistributed(Layer layer, TimeDistributedOptions options = {});
  // The wrapped layer.
  Layer layer() const;
};

}  // namespace keras::layers
