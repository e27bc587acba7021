#pragma once
// The pooling ops behind MaxPooling1D/2D and AveragePooling1D/2D, and behind
// keras::ops::max_pool / average_pool. Internal: inputs of rank 3 (1-D) or 4
// (2-D) in either data format are brought to NHWC, pooled by the kernels of
// backend/cpu/pool.hpp, and the backward is recorded on the GradientTape
// (max pooling keeps the argmax of each window while a tape records).
#include <cstdint>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops {

struct PoolArgs {
  std::vector<std::int64_t> pool_size = {2};  // one value: every spatial axis
  std::vector<std::int64_t> strides;          // empty: pool_size
  std::string padding = "valid";              // "valid" or "same"
  std::string data_format = "channels_last";
};

// op names the caller in error messages ("MaxPooling2D \"max_pooling2d\"").
Tensor max_pool_nd(const std::string& op, const Tensor& x, const PoolArgs& args);
Tensor average_pool_nd(const std::string& op, const Tensor& x, const PoolArgs& args);

// Keras' compute_pooling_output_shape (batch and spatial sizes may be None).
Shape pool_output_shape(const std::string& op, const Shape& input, const PoolArgs& args);

}  // namespace keras::ops
