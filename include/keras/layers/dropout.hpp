#pragma once
// Dropout: during training (a call with training=true) sets each input value
// to 0 with probability rate and scales the kept ones by 1 / (1 - rate), so the
// expected sum is unchanged (inverted dropout); at inference it is the
// identity. No weights.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct DropoutOptions {
  // The shape of the keep/drop pattern, broadcast over the input: {None, 1, 6}
  // drops the same features at every time step. None entries take the input's
  // dimension. Unset: one draw per input value.
  std::optional<std::vector<std::int64_t>> noise_shape;
  // With a seed the layer has its own generator (repeatable per layer);
  // without, it draws from keras::utils::random_generator().
  std::optional<std::uint64_t> seed;
  std::string name;
  bool trainable = true;
};

class Dropout : public Layer {
 public:
  // Throws keras::Error unless 0 <= rate <= 1 and noise_shape is valid.
  explicit Dropout(double rate, DropoutOptions options = {});
};

}  // namespace keras::layers
