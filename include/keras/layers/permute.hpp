#pragma once
// Permute: reorders the non-batch axes. dims is a permutation of 1..rank-1
// (1-based, the batch axis 0 stays first): Permute({2, 1}) swaps the two
// axes of a (batch, a, b) input, giving (batch, b, a). No weights.
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct PermuteOptions {
  std::string name;
  bool trainable = true;
};

class Permute : public Layer {
 public:
  // Throws keras::Error when dims is not a permutation of 1..dims.size().
  explicit Permute(std::vector<int> dims, PermuteOptions options = {});
};

}  // namespace keras::layers
