#pragma once
// Arrays as fit/evaluate/predict take them: split for validation, shuffled,
// and cut into batches along axis 0, as Keras' array data adapter does.
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::training {

// Keras' train_validation_split: the FIRST floor(n * (1 - split)) samples
// train and the rest validate, taken before any shuffling.
std::int64_t validation_split_at(std::int64_t num_samples, double validation_split);

// Rows `indices` of x (any dtype), copied into `out` when it already has the
// right shape and dtype (a warm step allocates nothing), else into a new tensor.
void gather_rows(const Tensor& x, const std::vector<std::int64_t>& indices, std::int64_t begin,
                 std::int64_t end, Tensor& out);

// The number of samples, checked to be the same across all arrays; what
// names the arrays in the error ("x", "y", "sample_weight").
std::int64_t num_samples(const std::vector<std::vector<Tensor>>& arrays,
                         const std::vector<std::string>& what);

}  // namespace keras::training
