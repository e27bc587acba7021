#pragma once
// Internal pieces of the random initializers, shared with their tests.
#include <cstdint>
#include <utility>

#include "keras/shape.hpp"

namespace keras::initializers {

// Keras' compute_fans: rank 0 -> (1, 1); rank 1 -> (n, n); rank 2 -> (in, out);
// rank >= 3 is a convolution kernel whose leading axes are the receptive field.
std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape);

}  // namespace keras::initializers
