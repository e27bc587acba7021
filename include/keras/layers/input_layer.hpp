#pragma once
// keras::Input and InputLayer: the entry point of a model. Input(shape) gives a
// symbolic tensor of shape (None,) + shape (the batch dimension unknown).
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras {

struct InputOptions {
  std::optional<std::int64_t> batch_size;  // None by default
  std::string dtype = "float32";
  std::string name;  // empty: input_layer, input_layer_1, ...
};

// A symbolic tensor fed by a new InputLayer, as keras.Input.
KerasTensor Input(const Shape& shape, InputOptions options = {});

namespace layers {

// The layer behind keras::Input; it has no weights and passes its input on.
class InputLayer : public Layer {
 public:
  // batch_shape includes the batch dimension: (None, 3, 2).
  InputLayer(const Shape& batch_shape, const std::string& dtype = "float32",
             const std::string& name = "");
  // The symbolic tensor this layer feeds.
  KerasTensor output() const;
};

}  // namespace layers
}  // namespace keras
