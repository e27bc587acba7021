#pragma once
// The convolution ops behind Conv1D/Conv2D, Conv2DTranspose, DepthwiseConv2D
// and SeparableConv2D, and behind keras::ops::conv & co. Internal: layers call
// the *_nd functions, which take Keras' arguments (padding names, data
// format, 1 or 2 spatial axes) and bring everything to the one fused NHWC
// op, activation(conv(x, kernel) + bias), whose backward is recorded on the
// GradientTape (kernels in backend/cpu/conv.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops {

// Where a 2-D convolution's windows sit: output pixel (oh, ow) reads input
// rows oh * stride_h - pad_top + kh * dilation_h (columns likewise); reads
// outside [0, in_h) x [0, in_w) are zeros.
struct ConvGeometry {
  std::int64_t in_h = 1, in_w = 1, out_h = 1, out_w = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;
};

// Output size and leading padding of one spatial axis for Keras' padding
// names: "valid" (no padding), "same" (output ceil(size / stride), the total
// padding split with the extra one after, as TensorFlow and JAX do) and
// "causal" (all padding before; Conv1D only). Throws keras::Error naming op
// when the output would be empty.
struct AxisWindow {
  std::int64_t out = 0;
  std::int64_t pad_before = 0;
};
AxisWindow conv_axis_window(const std::string& op, std::int64_t size, std::int64_t kernel,
                            std::int64_t stride, std::int64_t dilation, const std::string& padding);
// The output length of one axis of a transposed convolution (Keras'
// compute_conv_transpose_output_shape) and where the first input lands.
// output_padding < 0 means None.
AxisWindow conv_transpose_axis_window(std::int64_t size, std::int64_t kernel, std::int64_t stride,
                                      std::int64_t dilation, const std::string& padding,
                                      std::int64_t output_padding);

// ---- the fused NHWC ops (x of rank 4) ----

// activation(conv(x, kernel) + bias): x (N, H, W, C), kernel (kh, kw, C / groups,
// filters) with groups = C / kernel's third axis, bias (filters,) or undefined.
Tensor conv2d_nhwc(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                   const ConvGeometry& geometry, const std::string& activation);
// The transposed convolution: x (N, h, w, C) is the OUTPUT side of the
// convolution that geometry describes (out_h = h, out_w = w), the result its
// input side (N, in_h, in_w, filters); kernel (kh, kw, filters, C).
Tensor conv2d_transpose_nhwc(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                             const ConvGeometry& geometry, const std::string& activation);

// ---- Keras' arguments: inputs of rank 3 (1-D) or 4 (2-D) ----

struct ConvArgs {
  std::vector<std::int64_t> strides = {1};  // one value: every spatial axis
  std::string padding = "valid";            // "valid", "same", "causal" (1-D)
  std::string data_format = "channels_last";
  std::vector<std::int64_t> dilation_rate = {1};
  std::vector<std::int64_t> output_padding;  // transposed convolutions; empty: None
};

// What each op is called in error messages ("Conv2D \"conv2d\"", "ops.conv").
Tensor conv_nd(const std::string& op, const Tensor& x, const Tensor& kernel, const Tensor& bias,
               const ConvArgs& args, const std::string& activation = "linear");
// kernel (*kernel_size, C, depth_multiplier); output channel c * multiplier + j.
Tensor depthwise_conv_nd(const std::string& op, const Tensor& x, const Tensor& kernel,
                         const Tensor& bias, const ConvArgs& args,
                         const std::string& activation = "linear");
// kernel (*kernel_size, filters, C).
Tensor conv_transpose_nd(const std::string& op, const Tensor& x, const Tensor& kernel,
                         const Tensor& bias, const ConvArgs& args,
                         const std::string& activation = "linear");

// Output shape of conv_nd for an input shape (batch may be None) and kernel
// size, filters: Keras' compute_conv_output_shape.
Shape conv_output_shape(const std::string& op, const Shape& input,
                        const std::vector<std::int64_t>& kernel_size, std::int64_t filters,
                        const ConvArgs& args);
Shape conv_transpose_output_shape(const Shape& input, const std::vector<std::int64_t>& kernel_size,
                                  std::int64_t filters, const ConvArgs& args);

// ---- helpers shared with the pooling ops ----

// Keras' standardize_tuple: v holds one value for every spatial axis or one
// per axis; values must be positive (or zero, with allow_zero).
std::vector<std::int64_t> per_axis(const std::string& op, const char* what,
                                   const std::vector<std::int64_t>& v, int spatial,
                                   bool allow_zero = false);
bool is_channels_first(const std::string& op, const std::string& data_format);
// 1 or 2 for inputs of rank 3 or 4; throws naming op otherwise.
int spatial_rank(const std::string& op, const Shape& shape);
// (N, [H,] W, C) or (N, C, [H,] W) -> (N, H, W, C), with H = 1 for 1-D inputs;
// from_nhwc undoes it. Both are recorded ops (reshapes are views).
Tensor to_nhwc(const Tensor& x, bool channels_first);
Tensor from_nhwc(const Tensor& y, bool channels_first, int spatial);

}  // namespace keras::ops
