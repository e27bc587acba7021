#pragma once
// Rescaling: x * scale + offset, element-wise, in float32 (integer inputs such
// as uint8 images are cast first). Rescaling(1.0 / 255) maps [0, 255] to
// [0, 1]; Rescaling(1.0 / 127.5, {.offset = -1}) maps it to [-1, 1]. No weights.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct RescalingOptions {
  double offset = 0.0;
  std::string name;
  bool trainable = true;
};

class Rescaling : public Layer {
 public:
  explicit Rescaling(double scale, RescalingOptions options = {});
};

}  // namespace keras::layers
