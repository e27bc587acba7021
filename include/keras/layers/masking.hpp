#pragma once
// Masking: marks the time steps (positions along every axis but the last)
// whose features all equal mask_value as padding. The output is the input
// with those steps set to 0, and the output mask is true where any feature
// differs from mask_value: layers after it (LSTM, Bidirectional, Dense,
// TimeDistributed) and the loss and metrics skip the masked steps.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct MaskingOptions {
  double mask_value = 0.0;
  std::string name;
  bool trainable = true;
};

class Masking : public Layer {
 public:
  explicit Masking(MaskingOptions options = {});
};

}  // namespace keras::layers
