#pragma once
// 2-D pooling kernels on channels_last (NHWC) arrays: x (batch, in_h, in_w,
// channels), y (batch, out_h, out_w, channels). Window (oh, ow) covers input
// rows oh * stride_h - pad_top + [0, pool_h) (columns likewise); positions
// outside the input are padding, which max pooling ignores (as -inf) and
// average pooling leaves out of the count, as Keras (JAX's reduce_window with
// window counts) does. A 1-D pooling is the 2-D one with in_h = pool_h = 1.
//
// The fast kernels are vectorised over channels and split over the OpenMP
// threads (the backward passes by image, so scatter-adds never collide); the
// reference_* versions are the plain loops the tests compare them with.
#include <cstdint>

namespace keras::backend::cpu {

struct PoolShape {
  std::int64_t batch = 1;
  std::int64_t in_h = 1, in_w = 1, channels = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t pool_h = 1, pool_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;

  std::int64_t input_size() const { return batch * in_h * in_w * channels; }
  std::int64_t output_size() const { return batch * out_h * out_w * channels; }
};

// y = the window maxima. When argmax is not null it receives, per output,
// the offset within its image (ih * in_w + iw) * channels + c of the first
// maximum in row-major window order (the one JAX's gradient picks).
template <class T>
void max_pool2d_forward(const PoolShape& s, const T* x, T* y, std::int32_t* argmax);
// dx = zeros, plus each dy routed to its window's argmax.
template <class T>
void max_pool2d_backward(const PoolShape& s, const T* dy, const std::int32_t* argmax, T* dx);
// y = window sums / the number of window positions inside the input.
template <class T>
void average_pool2d_forward(const PoolShape& s, const T* x, T* y);
template <class T>
void average_pool2d_backward(const PoolShape& s, const T* dy, T* dx);

template <class T>
void reference_max_pool2d_forward(const PoolShape& s, const T* x, T* y);
// Recomputes each window's first maximum from x.
template <class T>
void reference_max_pool2d_backward(const PoolShape& s, const T* x, const T* dy, T* dx);
template <class T>
void reference_average_pool2d_forward(const PoolShape& s, const T* x, T* y);
template <class T>
void reference_average_pool2d_backward(const PoolShape& s, const T* dy, T* dx);

}  // namespace keras::backend::cpu
