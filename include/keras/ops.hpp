#pragma once
// keras::ops: the differentiable, numpy-like operations, named as keras.ops
// names them. Every layer, loss and metric is written with these, so a
// GradientTape sees all of them. Floating ops work on float32 and float64;
// binary ops broadcast as numpy does and need both operands of one dtype
// (a 0-d float tensor or a double adapts to the other operand's dtype).
// Axes may be negative. Shape errors throw keras::Error naming the op and shapes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops {

// ---- element-wise arithmetic (broadcasting) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor subtract(const Tensor& a, const Tensor& b);
Tensor multiply(const Tensor& a, const Tensor& b);
Tensor divide(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor power(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, double b);
Tensor subtract(const Tensor& a, double b);
Tensor multiply(const Tensor& a, double b);
Tensor divide(const Tensor& a, double b);
Tensor maximum(const Tensor& a, double b);
Tensor minimum(const Tensor& a, double b);
Tensor power(const Tensor& a, double b);

// ---- element-wise unary ----
Tensor negative(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor square(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor erf(const Tensor& x);
Tensor sign(const Tensor& x);    // gradient 0
Tensor floor(const Tensor& x);   // gradient 0
Tensor round(const Tensor& x);   // half to even, as numpy; gradient 0
Tensor clip(const Tensor& x, double min_value, double max_value);

// ---- comparisons and selection (results are bool; not differentiable) ----
Tensor equal(const Tensor& a, const Tensor& b);
Tensor not_equal(const Tensor& a, const Tensor& b);
Tensor greater(const Tensor& a, const Tensor& b);
Tensor greater_equal(const Tensor& a, const Tensor& b);
Tensor less(const Tensor& a, const Tensor& b);
Tensor less_equal(const Tensor& a, const Tensor& b);
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);
// condition ? a : b, broadcasting all three; differentiable in a and b.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
Tensor cast(const Tensor& x, DType dtype);  // differentiable between float dtypes

// ---- activations (keras.ops / keras.activations, same defaults) ----
Tensor relu(const Tensor& x);
Tensor relu6(const Tensor& x);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x, double alpha = 1.0);
Tensor gelu(const Tensor& x, bool approximate = true);
Tensor glu(const Tensor& x, int axis = -1);
Tensor silu(const Tensor& x);
Tensor hard_silu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor soft_shrink(const Tensor& x, double threshold = 0.5);
Tensor hard_shrink(const Tensor& x, double threshold = 0.5);
Tensor tanh_shrink(const Tensor& x);
Tensor hard_tanh(const Tensor& x);
Tensor squareplus(const Tensor& x, double b = 4.0);
Tensor sparse_plus(const Tensor& x);
Tensor sparse_sigmoid(const Tensor& x);
Tensor sparsemax(const Tensor& x, int axis = -1);
Tensor mish(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.2);
Tensor threshold(const Tensor& x, double threshold, double default_value);
Tensor softmax(const Tensor& x, int axis = -1);
Tensor log_softmax(const Tensor& x, int axis = -1);

// ---- reductions (axes empty = all axes) ----
Tensor sum(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor mean(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor max(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor min(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor var(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor logsumexp(const Tensor& x, const std::vector<int>& axes = {}, bool keepdims = false);
Tensor argmax(const Tensor& x, int axis = -1);  // int64, not differentiable
Tensor argmin(const Tensor& x, int axis = -1);  // int64, not differentiable

// ---- shapes ----
Tensor reshape(const Tensor& x, const Shape& shape);  // one dim may be -1
Tensor transpose(const Tensor& x, const std::vector<int>& axes = {});  // {} reverses
Tensor expand_dims(const Tensor& x, int axis);
Tensor squeeze(const Tensor& x, std::optional<int> axis = std::nullopt);
Tensor broadcast_to(const Tensor& x, const Shape& shape);
Tensor concatenate(const std::vector<Tensor>& xs, int axis = 0);
Tensor stack(const std::vector<Tensor>& xs, int axis = 0);
// Splits into equal parts (sections) along axis.
std::vector<Tensor> split(const Tensor& x, int sections, int axis = 0);
// Splits at the given sizes along axis (sizes sum to the axis length).
std::vector<Tensor> split_sizes(const Tensor& x, const std::vector<std::int64_t>& sizes,
                                int axis = 0);
// Elements [start, start + length) of one axis.
Tensor slice_axis(const Tensor& x, int axis, std::int64_t start, std::int64_t length);
Tensor repeat(const Tensor& x, std::int64_t repeats, int axis);
Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats);
Tensor flip(const Tensor& x, int axis);
// numpy.take: gathers along axis with integer indices (int32/int64); the result
// shape is x.shape[:axis] + indices.shape + x.shape[axis+1:]. Differentiable in
// x. An index outside [-n, n) throws keras::Error naming the index.
Tensor take(const Tensor& x, const Tensor& indices, int axis = 0);
Tensor one_hot(const Tensor& indices, std::int64_t num_classes, DType dtype = DType::float32);

// ---- linear algebra ----
// numpy.matmul: rank >= 2 operands multiply their last two axes, leading axes
// broadcast; a rank-1 operand is treated as a vector. Dense uses
// matmul(x of (..., in), kernel (in, units)) = contraction of x's last axis.
Tensor matmul(const Tensor& a, const Tensor& b);
// Fused dense: activation(x . kernel + bias) over the last axis of x (any rank
// >= 1). bias may be undefined. activation is a Keras activation name.
Tensor dense(const Tensor& x, const Tensor& kernel, const Tensor& bias,
             const std::string& activation = "linear");

// ---- operators (same as the functions above) ----
}  // namespace keras::ops

namespace keras {
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);
}  // namespace keras

// ---- convolution and pooling (keras.ops.conv, ..., keras.ops.max_pool) ----
// Inputs have 1 or 2 spatial axes: (batch, steps, channels) or (batch,
// height, width, channels) for "channels_last", (batch, channels, ...) for
// "channels_first". strides, dilation_rate, pool_size and output_padding hold
// one value for every spatial axis or one per axis; padding is "valid" or
// "same" (Keras' asymmetric "same": the extra padding goes after).
namespace keras::ops {
// kernel (*kernel_size, in_channels / groups, filters); groups is
// in_channels / kernel's second-to-last axis.
Tensor conv(const Tensor& inputs, const Tensor& kernel,
            const std::vector<std::int64_t>& strides = {1}, const std::string& padding = "valid",
            const std::string& data_format = "channels_last",
            const std::vector<std::int64_t>& dilation_rate = {1});
// kernel (*kernel_size, in_channels, depth_multiplier); output channel
// c * depth_multiplier + j comes from input channel c.
Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel,
                      const std::vector<std::int64_t>& strides = {1},
                      const std::string& padding = "valid",
                      const std::string& data_format = "channels_last",
                      const std::vector<std::int64_t>& dilation_rate = {1});
// depthwise_conv, then a 1x1 conv with pointwise_kernel (1, [1,] in_channels *
// depth_multiplier, filters).
Tensor separable_conv(const Tensor& inputs, const Tensor& depthwise_kernel,
                      const Tensor& pointwise_kernel,
                      const std::vector<std::int64_t>& strides = {1},
                      const std::string& padding = "valid",
                      const std::string& data_format = "channels_last",
                      const std::vector<std::int64_t>& dilation_rate = {1});
// The transposed convolution (the gradient of conv with respect to its
// input); kernel (*kernel_size, filters, in_channels). output_padding empty
// means None (Keras' default output size).
Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel,
                      const std::vector<std::int64_t>& strides = {1},
                      const std::string& padding = "valid",
                      const std::vector<std::int64_t>& output_padding = {},
                      const std::string& data_format = "channels_last",
                      const std::vector<std::int64_t>& dilation_rate = {1});
// strides empty: pool_size. Padding positions are ignored by max_pool and
// left out of the count by average_pool.
Tensor max_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                const std::vector<std::int64_t>& strides = {}, const std::string& padding = "valid",
                const std::string& data_format = "channels_last");
Tensor average_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                    const std::vector<std::int64_t>& strides = {},
                    const std::string& padding = "valid",
                    const std::string& data_format = "channels_last");
}  // namespace keras::ops
