// The plain pooling loops, written straight from the definition: what the
// fast kernels in pool.cpp are tested against.
#include <algorithm>
#include <limits>
#include <vector>

#include "backend/cpu/pool.hpp"

namespace keras::backend::cpu {

namespace {

// Calls f(y_index, x_indices_in_window) for every output element, the window
// listed in row-major order without the padding.
template <class F>
void for_each_window(const PoolShape& s, F&& f) {
  std::vector<std::int64_t> window;
  for (std::int64_t n = 0; n < s.batch; ++n) {
    for (std::int64_t oh = 0; oh < s.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
        for (std::int64_t c = 0; c < s.channels; ++c) {
          window.clear();
          for (std::int64_t kh = 0; kh < s.pool_h; ++kh) {
            const std::int64_t ih = oh * s.stride_h - s.pad_top + kh;
            if (ih < 0 || ih >= s.in_h) continue;
            for (std::int64_t kw = 0; kw < s.pool_w; ++kw) {
              const std::int64_t iw = ow * s.stride_w - s.pad_left + kw;
              if (iw < 0 || iw >= s.in_w) continue;
              window.push_back(((n * s.in_h + ih) * s.in_w + iw) * s.channels + c);
            }
          }
          f(((n * s.out_h + oh) * s.out_w + ow) * s.channels + c, window);
        }
      }
    }
  }
}

}  // namespace

template <class T>
void reference_max_pool2d_forward(const PoolShape& s, const T* x, T* y) {
  for_each_window(s, [&](std::int64_t yi, const std::vector<std::int64_t>& window) {
    T best = -std::numeric_limits<T>::infinity();
    for (std::int64_t xi : window) best = std::max(best, x[xi]);
    y[yi] = best;
  });
}

template <class T>
void reference_max_pool2d_backward(const PoolShape& s, const T* x, const T* dy, T* dx) {
  std::fill(dx, dx + s.input_size(), T(0));
  for_each_window(s, [&](std::int64_t yi, const std::vector<std::int64_t>& window) {
    std::int64_t best = -1;
    for (std::int64_t xi : window) {
      if (best < 0 || x[xi] > x[best]) best = xi;
    }
    if (best >= 0) dx[best] += dy[yi];
  });
}

template <class T>
void reference_average_pool2d_forward(const PoolShape& s, const T* x, T* y) {
  for_each_window(s, [&](std::int64_t yi, const std::vector<std::int64_t>& window) {
    double sum = 0;
    for (std::int64_t xi : window) sum += x[xi];
    y[yi] = static_cast<T>(sum / static_cast<double>(window.size()));
  });
}

template <class T>
void reference_average_pool2d_backward(const PoolShape& s, const T* dy, T* dx) {
  std::fill(dx, dx + s.input_size(), T(0));
  for_each_window(s, [&](std::int64_t yi, const std::vector<std::int64_t>& window) {
    for (std::int64_t xi : window) dx[xi] += dy[yi] / static_cast<T>(window.size());
  });
}

template void reference_max_pool2d_forward<float>(const PoolShape&, const float*, float*);
template void reference_max_pool2d_forward<double>(const PoolShape&, const double*, double*);
template void reference_max_pool2d_backward<float>(const PoolShape&, const float*, const float*,
                                                   float*);
template void reference_max_pool2d_backward<double>(const PoolShape&, const double*, const double*,
                                                    double*);
template void reference_average_pool2d_forward<float>(const PoolShape&, const float*, float*);
template void reference_average_pool2d_forward<double>(const PoolShape&, const double*, double*);
template void reference_average_pool2d_backward<float>(const PoolShape&, const float*, float*);
template void reference_average_pool2d_backward<double>(const PoolShape&, const double*, double*);

}  // namespace keras::backend::cpu
