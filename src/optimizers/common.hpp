#pragma once
// Pieces every optimizer file uses.
#include <cmath>
#include <cstdint>

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers::detail {

// Element loops run on the OpenMP pool only when a variable is big enough to
// repay the fork/join.
inline constexpr std::int64_t kParallelThreshold = 1 << 15;

template <class Options>
CommonOptions common_options(const Options& o) {
  return CommonOptions{o.weight_decay, o.clipnorm, o.clipvalue, o.global_clipnorm, o.name};
}

}  // namespace keras::optimizers::detail
