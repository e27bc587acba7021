// The fast convolution kernels (see conv.hpp).
//
// im2col + GEMM: the patches of a block of output pixels are copied into a
// (rows, kernel_h * kernel_w * in_c / groups) matrix whose column order is the
// kernel's row order, so one GEMM with the kernel seen as a (K, out_c) matrix
// gives the outputs, and the backward passes are the two transposed GEMMs.
// The images are split between the threads; each thread fills a patch buffer
// of at most kPatchElements values (it stays in the core's L2 cache, so the
// GEMM reads it back at cache speed instead of from memory) and runs OpenBLAS
// single-threaded on it (OpenBLAS' OpenMP build does so inside a parallel
// region). Splitting by image also keeps col2im's scatter-adds of different
// threads apart. With a single image the work runs on the calling thread and
// OpenBLAS uses all threads itself.
#include "backend/cpu/conv.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "backend/cpu/conv_common.hpp"
#include "backend/cpu/conv_depthwise.hpp"
#include "backend/cpu/conv_onednn.hpp"
#include "backend/cpu/gemm.hpp"
#include "backend/cpu/parallel.hpp"

namespace keras::backend::cpu {

using conv_detail::apply_epilogue;
using conv_detail::for_image_ranges;

namespace {

// Values in one thread's patch buffer: 1 MiB of float, half a Zen 4 L2.
constexpr std::int64_t kPatchElements = std::int64_t{1} << 18;

// The patch of every output pixel is the input itself (1x1 kernel, stride 1,
// no padding, one group): no im2col needed.
bool patches_are_input(const ConvShape& s) {
  return s.kernel_h == 1 && s.kernel_w == 1 && s.stride_h == 1 && s.stride_w == 1 &&
         s.pad_top == 0 && s.pad_left == 0 && s.out_h == s.in_h && s.out_w == s.in_w &&
         s.groups == 1;
}

// Walks the patch of output pixel row r (flat over batch, out_h, out_w):
// calls copy(patch_offset, x_offset, count) for each run of in-range values
// of group g (count channels per tap, or whole kernel rows when taps are
// adjacent in x) and zero(patch_offset, count) for each run in the padding.
template <class Copy, class Zero>
void walk_patch(const ConvShape& s, std::int64_t g, std::int64_t r, Copy&& copy, Zero&& zero) {
  const std::int64_t pixels = s.out_h * s.out_w;
  const std::int64_t n = r / pixels;
  const std::int64_t oh = (r % pixels) / s.out_w;
  const std::int64_t ow = r % s.out_w;
  const std::int64_t cin_g = s.in_c_per_group();
  const std::int64_t row_len = s.kernel_w * cin_g;
  // Taps along w are adjacent in x when they step one pixel and take every channel.
  const bool contiguous_w = s.dilation_w == 1 && s.groups == 1;
  const std::int64_t iw0 = ow * s.stride_w - s.pad_left;
  // The kernel columns whose input column lies inside [0, in_w).
  std::int64_t kw_begin = 0, kw_end = s.kernel_w;
  if (iw0 < 0) kw_begin = std::min(s.kernel_w, (-iw0 + s.dilation_w - 1) / s.dilation_w);
  if (iw0 + (s.kernel_w - 1) * s.dilation_w >= s.in_w) {
    kw_end = iw0 >= s.in_w ? 0 : std::min(s.kernel_w, (s.in_w - 1 - iw0) / s.dilation_w + 1);
  }
  kw_end = std::max(kw_end, kw_begin);
  for (std::int64_t kh = 0; kh < s.kernel_h; ++kh) {
    const std::int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
    const std::int64_t p = kh * row_len;
    if (ih < 0 || ih >= s.in_h) {
      zero(p, row_len);
      continue;
    }
    const std::int64_t x_row = ((n * s.in_h + ih) * s.in_w) * s.in_c + g * cin_g;
    if (kw_begin > 0) zero(p, kw_begin * cin_g);
    if (contiguous_w) {
      if (kw_end > kw_begin) {
        copy(p + kw_begin * cin_g, x_row + (iw0 + kw_begin) * s.in_c, (kw_end - kw_begin) * cin_g);
      }
    } else {
      for (std::int64_t kw = kw_begin; kw < kw_end; ++kw) {
        copy(p + kw * cin_g, x_row + (iw0 + kw * s.dilation_w) * s.in_c, cin_g);
      }
    }
    if (kw_end < s.kernel_w) zero(p + kw_end * cin_g, (s.kernel_w - kw_end) * cin_g);
  }
}

// cols[(r - r0) * K + k] = patch value k of output pixel r, for r in [r0, r1).
template <class T>
void im2col(const ConvShape& s, const T* x, std::int64_t g, std::int64_t r0, std::int64_t r1,
            T* cols) {
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  for (std::int64_t r = r0; r < r1; ++r) {
    T* row = cols + (r - r0) * k_len;
    walk_patch(
        s, g, r,
        [&](std::int64_t p, std::int64_t xo, std::int64_t count) {
          std::memcpy(row + p, x + xo, static_cast<std::size_t>(count) * sizeof(T));
        },
        [&](std::int64_t p, std::int64_t count) { std::fill(row + p, row + p + count, T(0)); });
  }
}

// dx[...] += the patch values in cols (the adjoint of im2col).
template <class T>
void col2im_add(const ConvShape& s, const T* cols, std::int64_t g, std::int64_t r0, std::int64_t r1,
                T* dx) {
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  for (std::int64_t r = r0; r < r1; ++r) {
    const T* row = cols + (r - r0) * k_len;
    walk_patch(
        s, g, r,
        [&](std::int64_t p, std::int64_t xo, std::int64_t count) {
          T* dst = dx + xo;
          const T* src = row + p;
#pragma omp simd
          for (std::int64_t i = 0; i < count; ++i) dst[i] += src[i];
        },
        [](std::int64_t, std::int64_t) {});
  }
}

// Output rows per patch buffer: as many as fit in kPatchElements, at least one.
std::int64_t rows_per_block(const ConvShape& s) {
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  return std::max<std::int64_t>(1, kPatchElements / std::max<std::int64_t>(1, k_len));
}

// dbias[c] = the sum of dy over every output pixel, per thread then added.
template <class T>
void channel_sums(const ConvShape& s, const T* dy, T* dbias) {
  const std::int64_t pixels = s.out_h * s.out_w, c_n = s.out_c;
  std::vector<T> partial(static_cast<std::size_t>(c_n) * static_cast<std::size_t>(max_threads()));
  const int threads =
      for_image_ranges(s.batch, pixels * c_n, [&](int t, std::int64_t n0, std::int64_t n1) {
        T* acc = partial.data() + t * c_n;
        for (std::int64_t r = n0 * pixels; r < n1 * pixels; ++r) {
          const T* row = dy + r * c_n;
#pragma omp simd
          for (std::int64_t c = 0; c < c_n; ++c) acc[c] += row[c];
        }
      });
  for (int t = 0; t < threads; ++t) {
    for (std::int64_t c = 0; c < c_n; ++c) dbias[c] += partial[t * c_n + c];
  }
}

std::int64_t flops_per_image(const ConvShape& s) {
  return s.out_h * s.out_w * s.kernel_h * s.kernel_w * s.in_c_per_group() * s.out_c;
}

}  // namespace

template <class T>
void conv2d_forward(const ConvShape& s, const T* x, const T* kernel, T* y, const T* bias,
                    bool relu) {
  if (s.output_size() == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    if (s.input_size() > 0 && onednn_conv2d_forward(s, x, kernel, y, bias, relu)) return;
  }
  if (is_depthwise(s)) return depthwise_forward(s, x, kernel, y, bias, relu);
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  const std::int64_t cout_g = s.out_c_per_group();
  const std::int64_t pixels = s.out_h * s.out_w;
  if (patches_are_input(s)) {
    gemm(false, false, s.batch * pixels, s.out_c, s.in_c, T(1), x, s.in_c, kernel, s.out_c, T(0), y,
         s.out_c);
    parallel_for(s.batch * pixels, s.out_c, [&](std::int64_t r0, std::int64_t r1) {
      apply_epilogue(s, y, r0, r1, bias, relu);
    });
    return;
  }
  const std::int64_t block = rows_per_block(s);
  for_image_ranges(s.batch, flops_per_image(s), [&](int, std::int64_t n0, std::int64_t n1) {
    T* cols = thread_buffer<T>(std::min(block, (n1 - n0) * pixels) * k_len);
    for (std::int64_t r0 = n0 * pixels; r0 < n1 * pixels; r0 += block) {
      const std::int64_t r1 = std::min(r0 + block, n1 * pixels);
      for (std::int64_t g = 0; g < s.groups; ++g) {
        im2col(s, x, g, r0, r1, cols);
        gemm(false, false, r1 - r0, cout_g, k_len, T(1), cols, k_len, kernel + g * cout_g, s.out_c,
             T(0), y + r0 * s.out_c + g * cout_g, s.out_c);
      }
      apply_epilogue(s, y, r0, r1, bias, relu);  // while the block is still in cache
    }
  });
}

template <class T>
void conv2d_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx) {
  if (s.input_size() == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    if (s.output_size() > 0 && onednn_conv2d_backward_data(s, dy, kernel, dx)) return;
  }
  if (is_depthwise(s)) return depthwise_backward_data(s, dy, kernel, dx);
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  const std::int64_t cout_g = s.out_c_per_group();
  const std::int64_t pixels = s.out_h * s.out_w;
  if (patches_are_input(s)) {
    gemm(false, true, s.batch * pixels, s.in_c, s.out_c, T(1), dy, s.out_c, kernel, s.out_c, T(0),
         dx, s.in_c);
    return;
  }
  const std::int64_t block = rows_per_block(s);
  const std::int64_t image = s.in_h * s.in_w * s.in_c;
  for_image_ranges(s.batch, flops_per_image(s), [&](int, std::int64_t n0, std::int64_t n1) {
    std::fill(dx + n0 * image, dx + n1 * image, T(0));
    if (pixels == 0) return;
    T* cols = thread_buffer<T>(std::min(block, (n1 - n0) * pixels) * k_len);
    for (std::int64_t r0 = n0 * pixels; r0 < n1 * pixels; r0 += block) {
      const std::int64_t r1 = std::min(r0 + block, n1 * pixels);
      for (std::int64_t g = 0; g < s.groups; ++g) {
        gemm(false, true, r1 - r0, k_len, cout_g, T(1), dy + r0 * s.out_c + g * cout_g, s.out_c,
             kernel + g * cout_g, s.out_c, T(0), cols, k_len);
        col2im_add(s, cols, g, r0, r1, dx);
      }
    }
  });
}

template <class T>
void conv2d_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel, T* dbias) {
  const std::int64_t size = s.kernel_size();
  if (dbias != nullptr) std::fill(dbias, dbias + s.out_c, T(0));
  if (size == 0) return;
  if (s.output_size() == 0 || s.input_size() == 0) {
    std::fill(dkernel, dkernel + size, T(0));
    return;
  }
  if constexpr (std::is_same_v<T, float>) {
    if (onednn_conv2d_backward_filter(s, x, dy, dkernel, dbias)) return;
  }
  if (dbias != nullptr) channel_sums(s, dy, dbias);
  if (is_depthwise(s)) return depthwise_backward_filter(s, x, dy, dkernel);
  const std::int64_t k_len = s.kernel_h * s.kernel_w * s.in_c_per_group();
  const std::int64_t cout_g = s.out_c_per_group();
  const std::int64_t pixels = s.out_h * s.out_w;
  if (patches_are_input(s)) {
    gemm(true, false, s.in_c, s.out_c, s.batch * pixels, T(1), x, s.in_c, dy, s.out_c, T(0),
         dkernel, s.out_c);
    return;
  }
  const std::int64_t block = rows_per_block(s);
  // One partial kernel gradient per extra thread, summed at the end.
  std::vector<T> partial(static_cast<std::size_t>(size) *
                         static_cast<std::size_t>(max_threads() - 1));
  const int threads =
      for_image_ranges(s.batch, flops_per_image(s), [&](int t, std::int64_t n0, std::int64_t n1) {
        T* acc = t == 0 ? dkernel : partial.data() + (t - 1) * size;
        T* cols = thread_buffer<T>(std::min(block, (n1 - n0) * pixels) * k_len);
        bool first = true;
        for (std::int64_t r0 = n0 * pixels; r0 < n1 * pixels; r0 += block) {
          const std::int64_t r1 = std::min(r0 + block, n1 * pixels);
          for (std::int64_t g = 0; g < s.groups; ++g) {
            im2col(s, x, g, r0, r1, cols);
            gemm(true, false, k_len, cout_g, r1 - r0, T(1), cols, k_len,
                 dy + r0 * s.out_c + g * cout_g, s.out_c, first ? T(0) : T(1), acc + g * cout_g,
                 s.out_c);
          }
          first = false;
        }
      });
  for (int t = 1; t < threads; ++t) {
    const T* p = partial.data() + (t - 1) * size;
#pragma omp simd
    for (std::int64_t i = 0; i < size; ++i) dkernel[i] += p[i];
  }
}

template void conv2d_forward<float>(const ConvShape&, const float*, const float*, float*,
                                    const float*, bool);
template void conv2d_forward<double>(const ConvShape&, const double*, const double*, double*,
                                     const double*, bool);
template void conv2d_backward_data<float>(const ConvShape&, const float*, const float*, float*);
template void conv2d_backward_data<double>(const ConvShape&, const double*, const double*, double*);
template void conv2d_backward_filter<float>(const ConvShape&, const float*, const float*, float*,
                                            float*);
template void conv2d_backward_filter<double>(const ConvShape&, const double*, const double*,
                                             double*, double*);

}  // namespace keras::backend::cpu
