// L2 normalization (keras.ops.normalize with order 2) along the middle axis
// of (outer, n, inner), and its backward. The inner axis is the vectorised one.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/normalization.hpp"
#include "backend/cpu/parallel.hpp"

namespace keras::backend::cpu {

template <class T>
void l2_normalize(const T* x, std::int64_t outer, std::int64_t n, std::int64_t inner, T epsilon,
                  T* y, T* inv_norm) {
  const T cap = T(1) / epsilon;
  parallel_for(outer, n * inner * 3, [&](std::int64_t begin, std::int64_t end) {
    std::vector<double> sums(static_cast<std::size_t>(inner));
    for (std::int64_t o = begin; o < end; ++o) {
      const T* xo = x + o * n * inner;
      T* yo = y + o * n * inner;
      T* inv = inv_norm + o * inner;
      std::fill(sums.begin(), sums.end(), 0.0);
      double* acc = sums.data();
      for (std::int64_t i = 0; i < n; ++i) {
        const T* row = xo + i * inner;
#pragma omp simd
        for (std::int64_t j = 0; j < inner; ++j) acc[j] += static_cast<double>(row[j]) * row[j];
      }
      for (std::int64_t j = 0; j < inner; ++j) {
        inv[j] = std::min(T(1) / std::sqrt(static_cast<T>(acc[j])), cap);
      }
      for (std::int64_t i = 0; i < n; ++i) {
        const T* row = xo + i * inner;
        T* out = yo + i * inner;
#pragma omp simd
        for (std::int64_t j = 0; j < inner; ++j) out[j] = row[j] * inv[j];
      }
    }
  });
}

template <class T>
void l2_normalize_backward(const T* x, const T* dy, const T* inv_norm, std::int64_t outer,
                           std::int64_t n, std::int64_t inner, T epsilon, T* dx) {
  const T cap = T(1) / epsilon;
  parallel_for(outer, n * inner * 3, [&](std::int64_t begin, std::int64_t end) {
    std::vector<double> dots(static_cast<std::size_t>(inner));
    std::vector<T> coef(static_cast<std::size_t>(inner));
    for (std::int64_t o = begin; o < end; ++o) {
      const T* xo = x + o * n * inner;
      const T* dyo = dy + o * n * inner;
      T* dxo = dx + o * n * inner;
      const T* inv = inv_norm + o * inner;
      std::fill(dots.begin(), dots.end(), 0.0);
      double* acc = dots.data();
      for (std::int64_t i = 0; i < n; ++i) {
#pragma omp simd
        for (std::int64_t j = 0; j < inner; ++j) {
          acc[j] += static_cast<double>(dyo[i * inner + j]) * xo[i * inner + j];
        }
      }
      // Where the factor was capped it is a constant: no term through the norm.
      for (std::int64_t j = 0; j < inner; ++j) {
        const double v = inv[j];
        coef[j] = inv[j] >= cap ? T(0) : static_cast<T>(-v * v * v * acc[j]);
      }
      for (std::int64_t i = 0; i < n; ++i) {
#pragma omp simd
        for (std::int64_t j = 0; j < inner; ++j) {
          dxo[i * inner + j] = dyo[i * inner + j] * inv[j] + xo[i * inner + j] * coef[j];
        }
      }
    }
  });
}

#define KERASCPP_INSTANTIATE(T)                                                                    \
  template void l2_normalize<T>(const T*, std::int64_t, std::int64_t, std::int64_t, T, T*, T*);    \
  template void l2_normalize_backward<T>(const T*, const T*, const T*, std::int64_t, std::int64_t, \
                                         std::int64_t, T, T*);
KERASCPP_INSTANTIATE(float)
KERASCPP_INSTANTIATE(double)
#undef KERASCPP_INSTANTIATE

}  // namespace keras::backend::cpu
