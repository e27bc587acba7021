#pragma once
// 2-D convolution kernels on channels_last (NHWC) arrays, the layout Keras
// uses by default and the one whose weights need no reordering:
//   x (batch, in_h, in_w, in_c), kernel (kernel_h, kernel_w, in_c / groups,
//   out_c), y (batch, out_h, out_w, out_c).
// Output pixel (oh, ow) reads input rows oh * stride_h - pad_top +
// kh * dilation_h (columns likewise); reads outside the input are zeros, so the
// padding after the input is implied by out_h / out_w. A 1-D convolution is the
// 2-D one with in_h = out_h = kernel_h = 1.
//
// The three kernels of a convolution's forward and backward passes:
//   conv2d_forward          y  = conv(x, kernel)
//   conv2d_backward_data    dx = the adjoint of conv in x, applied to dy
//                           (also the forward pass of a transposed convolution)
//   conv2d_backward_filter  dkernel = the adjoint of conv in kernel, applied to dy
// The fast float32 ones go to oneDNN (conv_onednn.hpp: 1.2-3x faster here
// than the next option); float64, and any shape oneDNN turns down, go through
// im2col + GEMM (OpenBLAS), a batch of images per thread with a per-thread
// patch buffer that stays in the core's L2 cache; a depthwise convolution (one
// input channel per group) then uses direct vectorised loops instead, since
// its GEMMs would be a few columns wide. The reference_* versions are the
// plain loops the tests compare them with.
#include <cstdint>

namespace keras::backend::cpu {

struct ConvShape {
  std::int64_t batch = 1;
  std::int64_t in_h = 1, in_w = 1, in_c = 1;
  std::int64_t out_h = 1, out_w = 1, out_c = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;
  std::int64_t groups = 1;

  std::int64_t in_c_per_group() const { return in_c / groups; }
  std::int64_t out_c_per_group() const { return out_c / groups; }
  // Elements of one kernel: kernel_h * kernel_w * in_c / groups * out_c.
  std::int64_t kernel_size() const { return kernel_h * kernel_w * in_c_per_group() * out_c; }
  std::int64_t input_size() const { return batch * in_h * in_w * in_c; }
  std::int64_t output_size() const { return batch * out_h * out_w * out_c; }
};

// Each kernel overwrites its output. T is float or double.
// With bias (out_c,) not null it is added to y; with relu, y = max(y, 0)
// after that: both fused into the convolution's own pass over y.
template <class T>
void conv2d_forward(const ConvShape& s, const T* x, const T* kernel, T* y, const T* bias = nullptr,
                    bool relu = false);
template <class T>
void conv2d_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx);
// With dbias (out_c,) not null, also its gradient: the sums of dy per channel.
template <class T>
void conv2d_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel,
                            T* dbias = nullptr);

template <class T>
void reference_conv2d_forward(const ConvShape& s, const T* x, const T* kernel, T* y);
template <class T>
void reference_conv2d_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx);
template <class T>
void reference_conv2d_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel);

}  // namespace keras::backend::cpu
