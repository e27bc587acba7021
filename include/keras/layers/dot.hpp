#pragma once
// Dot: the batch-wise dot product of two inputs along one axis of each,
// Dot(1)({a, b}) or Dot({1, 2})({a, b}). Inputs (B, 3, 5) and (B, 10, 3) with
// axes (1, 2) give (B, 5, 10): the first input's shape without its axis, then
// the second's without its batch and its axis; a result of rank 1 becomes
// (B, 1). With normalize, each input is L2-normalised along its axis first
// (the result is the cosine similarity). The batch axis 0 cannot be an axis.
// No weights.
#include <array>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct DotOptions {
  bool normalize = false;
  std::string name;
  bool trainable = true;
};

class Dot : public Layer {
 public:
  // The same axis of both inputs (negative counts from each input's end).
  explicit Dot(int axes, DotOptions options = {});
  // axes[0] of the first input with axes[1] of the second.
  explicit Dot(std::array<int, 2> axes, DotOptions options = {});
};

}  // namespace keras::layers
