#pragma once
// SpatialDropout1D: Dropout that drops whole feature maps. During training it
// zeroes entire channels of a (batch, steps, channels) input (one draw per
// sample and channel, shared by every step) and scales the kept ones by
// 1 / (1 - rate); at inference it is the identity. No weights.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct SpatialDropout1DOptions {
  // With a seed the layer has its own generator (repeatable per layer);
  // without, it draws from keras::utils::random_generator().
  std::optional<std::uint64_t> seed;
  std::string name;
  bool trainable = true;
};

class SpatialDropout1D : public Layer {
 public:
  // Throws keras::Error unless 0 <= rate <= 1.
  explicit SpatialDropout1D(double rate, SpatialDropout1DOptions options = {});
};

}  // namespace keras::layers
