#pragma once
// UnitNormalization: scales each sample so that its L2 norm over `axis` (the
// last axis by default; several axes are taken together) is 1:
// y = x / max(||x||, 1e-12). No weights.
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct UnitNormalizationOptions {
  std::vector<int> axis = {-1};
  std::string name;
  bool trainable = true;
};

class UnitNormalization : public Layer {
 public:
  explicit UnitNormalization(UnitNormalizationOptions options = {});
};

}  // namespace keras::layers
