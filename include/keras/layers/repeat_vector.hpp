#pragma once
// RepeatVector: (batch, features) -> (batch, n, features), the input repeated
// n times along a new time axis. No weights.
#include <cstdint>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct RepeatVectorOptions {
  std::string name;
  bool trainable = true;
};

class RepeatVector : public Layer {
 public:
  // Throws keras::Error unless n is positive.
  explicit RepeatVector(std::int64_t n, RepeatVectorOptions options = {});
};

}  // namespace keras::layers
