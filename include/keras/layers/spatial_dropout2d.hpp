#pragma once
// SpatialDropout2D: Dropout that drops whole feature maps. During training it
// zeroes entire channels of a 4-D input (one draw per sample and channel,
// shared by every row and column) and scales the kept ones by 1 / (1 - rate);
// at inference it is the identity. No weights.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct SpatialDropout2DOptions {
  // "channels_last" (batch, rows, cols, channels) or "channels_first"
  // (batch, channels, rows, cols); empty means Keras' default, channels_last.
  std::string data_format;
  std::optional<std::uint64_t> seed;
  std::string name;
  bool trainable = true;
};

class SpatialDropout2D : public Layer {
 public:
  // Throws keras::Error unless 0 <= rate <= 1 and data_format is valid.
  explicit SpatialDropout2D(double rate, SpatialDropout2DOptions options = {});
};

}  // namespace keras::layers
