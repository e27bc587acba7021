#pragma once
// Random tensors for initializers, Dropout and shuffling. Internal to the
// library (not a public header).
//
// Each draw takes one 64-bit key from a std::mt19937_64 (by default the global
// keras::utils::random_generator(), so keras::utils::set_random_seed makes runs
// repeatable) and derives every element from (key, element index) with a
// counter-based hash. Results therefore do not depend on the thread count,
// and large draws are vectorised and split across threads.
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::backend::random {

// Uniform in [minval, maxval).
Tensor uniform(const Shape& shape, DType dtype, double minval, double maxval,
               std::mt19937_64& generator);
Tensor uniform(const Shape& shape, DType dtype, double minval, double maxval);

// Normal with the given mean and standard deviation.
Tensor normal(const Shape& shape, DType dtype, double mean, double stddev,
              std::mt19937_64& generator);
Tensor normal(const Shape& shape, DType dtype, double mean, double stddev);

// Normal restricted to [mean - 2 stddev, mean + 2 stddev] (values outside are
// drawn again), as keras.random.truncated_normal.
Tensor truncated_normal(const Shape& shape, DType dtype, double mean, double stddev,
                        std::mt19937_64& generator);
Tensor truncated_normal(const Shape& shape, DType dtype, double mean, double stddev);

// Inverted-dropout mask: each element is 0 with probability rate and
// 1 / (1 - rate) otherwise, so x * mask keeps the expected value of x.
// rate must be in [0, 1); rate 0 gives all ones.
Tensor dropout_mask(const Shape& shape, DType dtype, double rate, std::mt19937_64& generator);
Tensor dropout_mask(const Shape& shape, DType dtype, double rate);

// A random permutation of 0 .. n-1 (Fisher-Yates), for shuffling samples.
std::vector<std::int64_t> permutation(std::int64_t n, std::mt19937_64& generator);
std::vector<std::int64_t> permutation(std::int64_t n);

// A generator for an optional user seed: seeded with it when given; else one
// seeded from the global generator (which advances it).
std::mt19937_64 generator_for(std::optional<std::uint64_t> seed);

}  // namespace keras::backend::random
