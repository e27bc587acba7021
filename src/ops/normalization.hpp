#pragma once
// Differentiable normalization ops on the fused kernels of
// backend/cpu/normalization.hpp, for BatchNormalization, LayerNormalization,
// GroupNormalization and UnitNormalization. Internal to the library: layers
// describe their input as a NormShape (see that header) and call these.
#include <vector>

#include "backend/cpu/normalization.hpp"
#include "keras/tensor.hpp"

namespace keras::ops {

using backend::cpu::NormShape;

struct Normalized {
  Tensor y;
  Tensor mean;      // (num_stats,)
  Tensor variance;  // (num_stats,), biased, as jnp.var
};

// Normalizes x (float32 or float64, s.size() elements) with the mean and
// variance of each of its statistics groups, then scales by gamma and shifts
// by beta (either may be undefined; else num_params values of x's dtype).
// Differentiable in x, gamma and beta, through the statistics: the mean and
// variance are outputs of the same recorded op.
Normalized normalize_with_moments(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                                  const NormShape& s, double epsilon);

// The same with given statistics (num_stats values each): Keras'
// ops.batch_normalization. Differentiable in all five tensors.
Tensor normalize_with_statistics(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                 const Tensor& gamma, const Tensor& beta, const NormShape& s,
                                 double epsilon);

// keras.ops.normalize(x, axis, order=2, epsilon): x * min(rsqrt(sum(x^2 over
// axes)), 1 / epsilon). Fused when the axes are neighbours; differentiable.
Tensor l2_normalize(const Tensor& x, const std::vector<int>& axes, double epsilon);

}  // namespace keras::ops
