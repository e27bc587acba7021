// Depthwise convolution kernels (see conv_depthwise.hpp). Output channel
// c * m + j comes from input channel c (m the depth multiplier), so the
// kernel (kh, kw, 1, in_c * m) holds, per tap, one row of out_c weights.
#include "backend/cpu/conv_depthwise.hpp"

#include <algorithm>
#include <vector>

#include "backend/cpu/conv_common.hpp"

namespace keras::backend::cpu {

using conv_detail::apply_epilogue;
using conv_detail::for_image_ranges;

bool is_depthwise(const ConvShape& s) { return s.groups > 1 && s.in_c_per_group() == 1; }

namespace {

// yp[c * m + j] += xp[c] * wp[c * m + j] for the in_c channels of one pixel.
template <class T>
void depthwise_tap(const T* xp, const T* wp, T* yp, std::int64_t channels, std::int64_t m) {
  if (m == 1) {
#pragma omp simd
    for (std::int64_t c = 0; c < channels; ++c) yp[c] += xp[c] * wp[c];
    return;
  }
  for (std::int64_t c = 0; c < channels; ++c) {
    const T xv = xp[c];
    for (std::int64_t j = 0; j < m; ++j) yp[c * m + j] += xv * wp[c * m + j];
  }
}

// Output row r (flat over batch and out_h).
template <class T>
void forward_row(const ConvShape& s, const T* x, const T* kernel, T* y, std::int64_t r) {
  const std::int64_t m = s.out_c / s.in_c;
  const std::int64_t n = r / s.out_h, oh = r % s.out_h;
  for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
    T* yp = y + (r * s.out_w + ow) * s.out_c;
    std::fill(yp, yp + s.out_c, T(0));
    for (std::int64_t kh = 0; kh < s.kernel_h; ++kh) {
      const std::int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
      if (ih < 0 || ih >= s.in_h) continue;
      for (std::int64_t kw = 0; kw < s.kernel_w; ++kw) {
        const std::int64_t iw = ow * s.stride_w - s.pad_left + kw * s.dilation_w;
        if (iw < 0 || iw >= s.in_w) continue;
        depthwise_tap(x + ((n * s.in_h + ih) * s.in_w + iw) * s.in_c,
                      kernel + (kh * s.kernel_w + kw) * s.out_c, yp, s.in_c, m);
      }
    }
  }
}

// The output pixel that reads input index i through kernel tap k, or -1.
std::int64_t source_of(std::int64_t i, std::int64_t k, std::int64_t stride, std::int64_t dilation,
                       std::int64_t pad, std::int64_t out) {
  const std::int64_t t = i + pad - k * dilation;
  if (t < 0 || t % stride != 0) return -1;
  const std::int64_t o = t / stride;
  return o < out ? o : -1;
}

// dx of input row r (flat over batch and in_h), gathered from the output
// pixels that read it: no two threads write the same dx.
template <class T>
void backward_data_row(const ConvShape& s, const T* dy, const T* kernel, T* dx, std::int64_t r) {
  const std::int64_t m = s.out_c / s.in_c;
  const std::int64_t n = r / s.in_h, ih = r % s.in_h;
  for (std::int64_t iw = 0; iw < s.in_w; ++iw) {
    T* dxp = dx + (r * s.in_w + iw) * s.in_c;
    std::fill(dxp, dxp + s.in_c, T(0));
    for (std::int64_t kh = 0; kh < s.kernel_h; ++kh) {
      const std::int64_t oh = source_of(ih, kh, s.stride_h, s.dilation_h, s.pad_top, s.out_h);
      if (oh < 0) continue;
      for (std::int64_t kw = 0; kw < s.kernel_w; ++kw) {
        const std::int64_t ow = source_of(iw, kw, s.stride_w, s.dilation_w, s.pad_left, s.out_w);
        if (ow < 0) continue;
        const T* dyp = dy + ((n * s.out_h + oh) * s.out_w + ow) * s.out_c;
        const T* wp = kernel + (kh * s.kernel_w + kw) * s.out_c;
        if (m == 1) {
#pragma omp simd
          for (std::int64_t c = 0; c < s.in_c; ++c) dxp[c] += dyp[c] * wp[c];
          continue;
        }
        for (std::int64_t c = 0; c < s.in_c; ++c) {
          T acc = 0;
          for (std::int64_t j = 0; j < m; ++j) acc += dyp[c * m + j] * wp[c * m + j];
          dxp[c] += acc;
        }
      }
    }
  }
}

// row += the kernel gradient of output row (n, oh).
template <class T>
void backward_filter_row(const ConvShape& s, const T* x, const T* dy, T* row, std::int64_t n,
                         std::int64_t oh) {
  const std::int64_t m = s.out_c / s.in_c;
  for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
    const T* dyp = dy + ((n * s.out_h + oh) * s.out_w + ow) * s.out_c;
    for (std::int64_t kh = 0; kh < s.kernel_h; ++kh) {
      const std::int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
      if (ih < 0 || ih >= s.in_h) continue;
      for (std::int64_t kw = 0; kw < s.kernel_w; ++kw) {
        const std::int64_t iw = ow * s.stride_w - s.pad_left + kw * s.dilation_w;
        if (iw < 0 || iw >= s.in_w) continue;
        // dk[c * m + j] += x[c] * dy[c * m + j]: depthwise_tap with dy as the weights.
        depthwise_tap(x + ((n * s.in_h + ih) * s.in_w + iw) * s.in_c, dyp,
                      row + (kh * s.kernel_w + kw) * s.out_c, s.in_c, m);
      }
    }
  }
}

}  // namespace

template <class T>
void depthwise_forward(const ConvShape& s, const T* x, const T* kernel, T* y, const T* bias,
                       bool relu) {
  parallel_for(s.batch * s.out_h, s.out_w * s.kernel_h * s.kernel_w * s.out_c,
               [&](std::int64_t r0, std::int64_t r1) {
                 for (std::int64_t r = r0; r < r1; ++r) forward_row(s, x, kernel, y, r);
                 apply_epilogue(s, y, r0 * s.out_w, r1 * s.out_w, bias, relu);
               });
}

template <class T>
void depthwise_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx) {
  parallel_for(s.batch * s.in_h, s.in_w * s.kernel_h * s.kernel_w * s.out_c,
               [&](std::int64_t r0, std::int64_t r1) {
                 for (std::int64_t r = r0; r < r1; ++r) backward_data_row(s, dy, kernel, dx, r);
               });
}

template <class T>
void depthwise_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel) {
  const std::int64_t size = s.kernel_size();
  // One partial gradient per extra thread, added at the end.
  std::vector<T> partial(static_cast<std::size_t>(size) *
                         static_cast<std::size_t>(max_threads() - 1));
  const auto images = [&](int t, std::int64_t n0, std::int64_t n1) {
    T* acc = t == 0 ? dkernel : partial.data() + (t - 1) * size;
    std::fill(acc, acc + size, T(0));
    // Each output row's sums first, then added up: float32 sums over a whole
    // batch of pixels lose digits in one long running total.
    T* row = thread_buffer<T>(size);
    for (std::int64_t n = n0; n < n1; ++n) {
      for (std::int64_t oh = 0; oh < s.out_h; ++oh) {
        std::fill(row, row + size, T(0));
        backward_filter_row(s, x, dy, row, n, oh);
#pragma omp simd
        for (std::int64_t i = 0; i < size; ++i) acc[i] += row[i];
      }
    }
  };
  const int threads =
      for_image_ranges(s.batch, s.out_h * s.out_w * s.kernel_h * s.kernel_w * s.out_c, images);
  for (int t = 1; t < threads; ++t) {
    const T* p = partial.data() + (t - 1) * size;
    for (std::int64_t i = 0; i < size; ++i) dkernel[i] += p[i];
  }
}

template void depthwise_forward<float>(const ConvShape&, const float*, const float*, float*,
                                       const float*, bool);
template void depthwise_forward<double>(const ConvShape&, const double*, const double*, double*,
                                        const double*, bool);
template void depthwise_backward_data<float>(const ConvShape&, const float*, const float*, float*);
template void depthwise_backward_data<double>(const ConvShape&, const double*, const double*,
                                              double*);
template void depthwise_backward_filter<float>(const ConvShape&, const float*, const float*,
                                               float*);
template void depthwise_backward_filter<double>(const ConvShape&, const double*, const double*,
                                                double*);

}  // namespace keras::backend::cpu
