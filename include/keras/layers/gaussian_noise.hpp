#pragma once
// GaussianNoise: during training adds zero-mean Gaussian noise of standard
// deviation `stddev` to its input (a regularizer, a form of data
// augmentation); at inference it is the identity. No weights.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct GaussianNoiseOptions {
  // With a seed the layer has its own generator (repeatable per layer);
  // without, it draws from keras::utils::random_generator().
  std::optional<std::uint64_t> seed;
  std::string name;
  bool trainable = true;
};

class GaussianNoise : public Layer {
 public:
  // Throws keras::Error unless 0 <= stddev <= 1 (Keras' bounds).
  explicit GaussianNoise(double stddev, GaussianNoiseOptions options = {});
};

}  // namespace keras::layers
