#pragma once
// Reshape: (batch, ...) -> (batch,) + target_shape. target_shape excludes the
// batch axis and may hold one -1, inferred from the input's size. No weights.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct ReshapeOptions {
  std::string name;
  bool trainable = true;
};

class Reshape : public Layer {
 public:
  // Reshape({2, -1}). Throws keras::Error for more than one -1 or a dimension < -1.
  explicit Reshape(std::vector<std::int64_t> target_shape, ReshapeOptions options = {});
};

}  // namespace keras::layers
