#pragma once
// The generic gradient checker: compares the gradients a GradientTape gives
// for an op with central finite differences, in float64.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::testing {

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradientCheckOptions {
  double epsilon = 1e-6;  // finite-difference step
  double rtol = 1e-5;
  double atol = 1e-7;
  std::uint64_t seed = 42;  // for the random weights of the output
};

// For L(x) = sum(f(x) * w) with fixed random weights w (so every output
// element matters with its own weight), checks each element of
// tape.gradient(L, inputs) against (L(x + e) - L(x - e)) / 2e. Inputs must be
// float64. Passes with a message naming the first mismatching input and element.
::testing::AssertionResult check_gradients(const TensorFn& f, const std::vector<Tensor>& inputs,
                                           const GradientCheckOptions& options = {});

// For ops with no gradient: checks that the tape gives all-zero gradients.
::testing::AssertionResult check_zero_gradients(const TensorFn& f,
                                                const std::vector<Tensor>& inputs);

// A float64 tensor with values uniform in [low, high) (deterministic per seed).
Tensor random_tensor(const Shape& shape, double low, double high, std::uint64_t seed);
// The same, with values kept at least `gap` away from each of the points
// (the kinks of piecewise functions, where finite differences mislead).
Tensor random_tensor_away(const Shape& shape, double low, double high, std::uint64_t seed,
                          const std::vector<double>& points, double gap = 0.05);

}  // namespace keras::testing
