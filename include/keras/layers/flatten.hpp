#pragma once
// Flatten: (batch, d1, d2, ...) -> (batch, d1*d2*...). The batch axis is kept;
// a rank-1 input (batch,) becomes (batch, 1). No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct FlattenOptions {
  // "channels_last" (Keras' default) or "channels_first": with channels_first
  // the channel axis (axis 1) is moved last before flattening, so the values
  // come out in channels_last order.
  std::string data_format = "channels_last";
  std::string name;
  bool trainable = true;
};

class Flatten : public Layer {
 public:
  explicit Flatten(FlattenOptions options = {});
};

}  // namespace keras::layers
