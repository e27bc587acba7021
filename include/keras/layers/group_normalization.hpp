#pragma once
// GroupNormalization: splits the channels (along `axis`) into `groups` groups
// and normalises each sample's group over its channels and every non-batch
// position, then scales by gamma and shifts by beta (one per channel):
// 2C parameters. groups = -1 gives one channel per group (instance
// normalization); groups = 1 normalises each sample as a whole. The same in
// training and inference.
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GroupNormalizationOptions {
  int groups = 32;
  int axis = -1;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  initializers::Initializer beta_initializer = "zeros";
  initializers::Initializer gamma_initializer = "ones";
  regularizers::Regularizer beta_regularizer;
  regularizers::Regularizer gamma_regularizer;
  constraints::Constraint beta_constraint;
  constraints::Constraint gamma_constraint;
  std::string name;
  bool trainable = true;
};

class GroupNormalization : public Layer {
 public:
  // Throws keras::Error unless groups is positive or -1.
  explicit GroupNormalization(GroupNormalizationOptions options = {});
};

}  // namespace keras::layers
