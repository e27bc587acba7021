// The fast pooling kernels (see pool.hpp): every loop over a pixel's channels
// is contiguous and vectorised; the forward passes split output rows between
// the threads, the backward passes whole images (their windows may overlap).
#include "backend/cpu/pool.hpp"

#include <algorithm>
#include <limits>

#include "backend/cpu/parallel.hpp"

namespace keras::backend::cpu {

namespace {

// The window offsets [begin, end) whose input index o * stride - pad + k
// lies inside [0, size).
struct Range {
  std::int64_t begin, end;
  std::int64_t count() const { return end - begin; }
};
Range inside(std::int64_t o, std::int64_t stride, std::int64_t pad, std::int64_t pool,
             std::int64_t size) {
  const std::int64_t start = o * stride - pad;
  return {std::max<std::int64_t>(0, -start), std::min(pool, size - start)};
}

// Output row r (flat over batch and out_h) of a max pool.
template <class T>
void max_pool_row(const PoolShape& s, const T* x, T* y, std::int32_t* argmax, std::int64_t r) {
  const std::int64_t c_n = s.channels;
  const std::int64_t n = r / s.out_h, oh = r % s.out_h;
  const Range kh = inside(oh, s.stride_h, s.pad_top, s.pool_h, s.in_h);
  const T* xn = x + n * s.in_h * s.in_w * c_n;
  for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
    const Range kw = inside(ow, s.stride_w, s.pad_left, s.pool_w, s.in_w);
    const std::int64_t out = (r * s.out_w + ow) * c_n;
    T* yp = y + out;
    std::int32_t* ip = argmax != nullptr ? argmax + out : nullptr;
    std::fill(yp, yp + c_n, -std::numeric_limits<T>::infinity());
    if (ip != nullptr) std::fill(ip, ip + c_n, -1);
    for (std::int64_t i = kh.begin; i < kh.end; ++i) {
      const std::int64_t ih = oh * s.stride_h - s.pad_top + i;
      for (std::int64_t j = kw.begin; j < kw.end; ++j) {
        const std::int64_t xo = (ih * s.in_w + ow * s.stride_w - s.pad_left + j) * c_n;
        const T* xp = xn + xo;
        if (ip == nullptr) {
#pragma omp simd
          for (std::int64_t c = 0; c < c_n; ++c) yp[c] = xp[c] > yp[c] ? xp[c] : yp[c];
          continue;
        }
        // The first window position wins a tie (strict >), as in JAX's gradient.
        const bool first = i == kh.begin && j == kw.begin;
        const auto base = static_cast<std::int32_t>(xo);
#pragma omp simd
        for (std::int64_t c = 0; c < c_n; ++c) {
          const bool take = first || xp[c] > yp[c];
          yp[c] = take ? xp[c] : yp[c];
          ip[c] = take ? base + static_cast<std::int32_t>(c) : ip[c];
        }
      }
    }
  }
}

// Output row r of an average pool.
template <class T>
void average_pool_row(const PoolShape& s, const T* x, T* y, std::int64_t r) {
  const std::int64_t c_n = s.channels;
  const std::int64_t n = r / s.out_h, oh = r % s.out_h;
  const Range kh = inside(oh, s.stride_h, s.pad_top, s.pool_h, s.in_h);
  const T* xn = x + n * s.in_h * s.in_w * c_n;
  for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
    const Range kw = inside(ow, s.stride_w, s.pad_left, s.pool_w, s.in_w);
    T* yp = y + (r * s.out_w + ow) * c_n;
    std::fill(yp, yp + c_n, T(0));
    for (std::int64_t i = kh.begin; i < kh.end; ++i) {
      const std::int64_t ih = oh * s.stride_h - s.pad_top + i;
      for (std::int64_t j = kw.begin; j < kw.end; ++j) {
        const T* xp = xn + (ih * s.in_w + ow * s.stride_w - s.pad_left + j) * c_n;
#pragma omp simd
        for (std::int64_t c = 0; c < c_n; ++c) yp[c] += xp[c];
      }
    }
    // Only the positions inside the input count, as Keras' window counts.
    const T count = static_cast<T>(kh.count() * kw.count());
#pragma omp simd
    for (std::int64_t c = 0; c < c_n; ++c) yp[c] /= count;
  }
}

// Whether the windows tile the input exactly (MaxPooling2D() on even sizes):
// every input value then belongs to exactly one window.
bool windows_tile_input(const PoolShape& s) {
  return s.stride_h == s.pool_h && s.stride_w == s.pool_w && s.pad_top == 0 && s.pad_left == 0 &&
         s.out_h * s.pool_h == s.in_h && s.out_w * s.pool_w == s.in_w;
}

// dx of one image of a max pool.
template <class T>
void max_pool_backward_image(const PoolShape& s, const T* g, const std::int32_t* ip, T* dxn,
                             bool tiled) {
  const std::int64_t c_n = s.channels;
  const std::int64_t outputs = s.out_h * s.out_w * c_n;
  if (!tiled) {
    std::fill(dxn, dxn + s.in_h * s.in_w * c_n, T(0));
    for (std::int64_t i = 0; i < outputs; ++i) {
      if (ip[i] >= 0) dxn[ip[i]] += g[i];
    }
    return;
  }
  // One pass: each window is zeroed, then its maximum gets dy, while the
  // window is in cache (no separate zeroing of all of dx).
  for (std::int64_t oh = 0; oh < s.out_h; ++oh) {
    for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
      for (std::int64_t i = 0; i < s.pool_h; ++i) {
        T* row = dxn + ((oh * s.pool_h + i) * s.in_w + ow * s.pool_w) * c_n;
        std::fill(row, row + s.pool_w * c_n, T(0));
      }
      const std::int64_t o = (oh * s.out_w + ow) * c_n;
      for (std::int64_t c = 0; c < c_n; ++c) dxn[ip[o + c]] = g[o + c];
    }
  }
}

// dx of one image of an average pool.
template <class T>
void average_pool_backward_image(const PoolShape& s, const T* gn, T* dxn) {
  const std::int64_t c_n = s.channels;
  std::fill(dxn, dxn + s.in_h * s.in_w * c_n, T(0));
  for (std::int64_t oh = 0; oh < s.out_h; ++oh) {
    const Range kh = inside(oh, s.stride_h, s.pad_top, s.pool_h, s.in_h);
    for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
      const Range kw = inside(ow, s.stride_w, s.pad_left, s.pool_w, s.in_w);
      const T* g = gn + (oh * s.out_w + ow) * c_n;
      const T count = static_cast<T>(kh.count() * kw.count());
      for (std::int64_t i = kh.begin; i < kh.end; ++i) {
        const std::int64_t ih = oh * s.stride_h - s.pad_top + i;
        for (std::int64_t j = kw.begin; j < kw.end; ++j) {
          T* dp = dxn + (ih * s.in_w + ow * s.stride_w - s.pad_left + j) * c_n;
#pragma omp simd
          for (std::int64_t c = 0; c < c_n; ++c) dp[c] += g[c] / count;
        }
      }
    }
  }
}

}  // namespace

template <class T>
void max_pool2d_forward(const PoolShape& s, const T* x, T* y, std::int32_t* argmax) {
  parallel_for(s.batch * s.out_h, s.out_w * s.pool_h * s.pool_w * s.channels,
               [&](std::int64_t r0, std::int64_t r1) {
                 for (std::int64_t r = r0; r < r1; ++r) max_pool_row(s, x, y, argmax, r);
               });
}

template <class T>
void max_pool2d_backward(const PoolShape& s, const T* dy, const std::int32_t* argmax, T* dx) {
  const std::int64_t image = s.in_h * s.in_w * s.channels;
  const std::int64_t outputs = s.out_h * s.out_w * s.channels;
  const bool tiled = windows_tile_input(s);
  parallel_for(s.batch, outputs + image, [&](std::int64_t n0, std::int64_t n1) {
    for (std::int64_t n = n0; n < n1; ++n) {
      max_pool_backward_image(s, dy + n * outputs, argmax + n * outputs, dx + n * image, tiled);
    }
  });
}

template <class T>
void average_pool2d_forward(const PoolShape& s, const T* x, T* y) {
  parallel_for(s.batch * s.out_h, s.out_w * s.pool_h * s.pool_w * s.channels,
               [&](std::int64_t r0, std::int64_t r1) {
                 for (std::int64_t r = r0; r < r1; ++r) average_pool_row(s, x, y, r);
               });
}

template <class T>
void average_pool2d_backward(const PoolShape& s, const T* dy, T* dx) {
  const std::int64_t image = s.in_h * s.in_w * s.channels;
  const std::int64_t outputs = s.out_h * s.out_w * s.channels;
  parallel_for(s.batch, outputs * s.pool_h * s.pool_w + image,
               [&](std::int64_t n0, std::int64_t n1) {
                 for (std::int64_t n = n0; n < n1; ++n) {
                   average_pool_backward_image(s, dy + n * outputs, dx + n * image);
                 }
               });
}

template void max_pool2d_forward<float>(const PoolShape&, const float*, float*, std::int32_t*);
template void max_pool2d_forward<double>(const PoolShape&, const double*, double*, std::int32_t*);
template void max_pool2d_backward<float>(const PoolShape&, const float*, const std::int32_t*,
                                         float*);
template void max_pool2d_backward<double>(const PoolShape&, const double*, const std::int32_t*,
                                          double*);
template void average_pool2d_forward<float>(const PoolShape&, const float*, float*);
template void average_pool2d_forward<double>(const PoolShape&, const double*, double*);
template void average_pool2d_backward<float>(const PoolShape&, const float*, float*);
template void average_pool2d_backward<double>(const PoolShape&, const double*, double*);

}  // namespace keras::backend::cpu
