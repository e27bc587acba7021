#include "backend/cpu/softmax.hpp"

#include <algorithm>
#include <cmath>

#include "backend/cpu/parallel.hpp"
#include "backend/cpu/vector_math.hpp"

namespace keras::backend::cpu {

namespace {

constexpr std::int64_t kColumns = 128;  // columns handled together when inner > 1
constexpr std::int64_t kExpCost = 8;

// Values per group of rows whose exponentials are taken in one loop: with
// short rows (10 classes) a loop per row never filled a vector and ran the
// exp scalar, 11 ns a value.
constexpr std::int64_t kGroupValues = 1024;

// Softmax of rows [o0, o1) of length n, kGroupValues values at a time:
// y = x - row max, then exp over the whole group, then each row normalised.
template <class T, bool kLog>
void softmax_rows(const T* x, T* y, std::int64_t o0, std::int64_t o1, std::int64_t n) {
  const std::int64_t group = std::max<std::int64_t>(1, kGroupValues / n);
  T m[kGroupValues];
  for (std::int64_t g0 = o0; g0 < o1; g0 += group) {
    const std::int64_t g1 = std::min(o1, g0 + group);
    for (std::int64_t o = g0; o < g1; ++o) {
      const T* xr = x + o * n;
      T* yr = y + o * n;
      T mr = xr[0];
#pragma omp simd reduction(max : mr)
      for (std::int64_t i = 0; i < n; ++i) mr = mr > xr[i] ? mr : xr[i];
      for (std::int64_t i = 0; i < n; ++i) yr[i] = xr[i] - mr;
      m[o - g0] = mr;
    }
    T* yg = y + g0 * n;
    const std::int64_t count = (g1 - g0) * n;
#pragma omp simd
    for (std::int64_t i = 0; i < count; ++i) yg[i] = exp_fast(yg[i]);
    for (std::int64_t o = g0; o < g1; ++o) {
      const T* xr = x + o * n;
      T* yr = y + o * n;
      T s = 0;
#pragma omp simd reduction(+ : s)
      for (std::int64_t i = 0; i < n; ++i) s += yr[i];
      if constexpr (kLog) {
        // (x - m) - log(s): adding log(s) to a large m first would round it away.
        const T log_s = std::log(s);
        const T mr = m[o - g0];
        for (std::int64_t i = 0; i < n; ++i) yr[i] = (xr[i] - mr) - log_s;
      } else {
        const T inv = T(1) / s;
        for (std::int64_t i = 0; i < n; ++i) yr[i] *= inv;
      }
    }
  }
}

// Calls f(first_column, count) for each block of up to kColumns of the inner columns.
template <class F>
void for_column_blocks(std::int64_t inner, F f) {
  for (std::int64_t j0 = 0; j0 < inner; j0 += kColumns) {
    f(j0, inner - j0 < kColumns ? inner - j0 : kColumns);
  }
}

template <class T, bool kLog>
void softmax_impl(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner) {
  if (n == 0) return;
  if (inner == 1) {
    parallel_for(outer, n * kExpCost, [&](std::int64_t o0, std::int64_t o1) {
      softmax_rows<T, kLog>(x, y, o0, o1, n);
    });
    return;
  }
  parallel_for(outer, n * inner * kExpCost, [&](std::int64_t o0, std::int64_t o1) {
    T m[kColumns], s[kColumns];
    for (std::int64_t o = o0; o < o1; ++o) {
      const T* xs = x + o * n * inner;
      T* ys = y + o * n * inner;
      for_column_blocks(inner, [&](std::int64_t j0, std::int64_t cols) {
        for (std::int64_t c = 0; c < cols; ++c) m[c] = xs[j0 + c];
        for (std::int64_t i = 1; i < n; ++i) {
          const T* xr = xs + i * inner + j0;
          for (std::int64_t c = 0; c < cols; ++c) m[c] = m[c] > xr[c] ? m[c] : xr[c];
        }
        for (std::int64_t c = 0; c < cols; ++c) s[c] = 0;
        for (std::int64_t i = 0; i < n; ++i) {
          const T* xr = xs + i * inner + j0;
          T* yr = ys + i * inner + j0;
          for (std::int64_t c = 0; c < cols; ++c) {
            yr[c] = exp_fast(xr[c] - m[c]);
            s[c] += yr[c];
          }
        }
        if constexpr (kLog) {
          for (std::int64_t c = 0; c < cols; ++c) s[c] = std::log(s[c]);
          for (std::int64_t i = 0; i < n; ++i) {
            const T* xr = xs + i * inner + j0;
            T* yr = ys + i * inner + j0;
            for (std::int64_t c = 0; c < cols; ++c) yr[c] = (xr[c] - m[c]) - s[c];
          }
        } else {
          for (std::int64_t c = 0; c < cols; ++c) s[c] = T(1) / s[c];
          for (std::int64_t i = 0; i < n; ++i) {
            T* yr = ys + i * inner + j0;
            for (std::int64_t c = 0; c < cols; ++c) yr[c] *= s[c];
          }
        }
      });
    }
  });
}

template <class T, bool kLog>
void softmax_backward_impl(const T* y, const T* dy, T* dx, std::int64_t outer, std::int64_t n,
                           std::int64_t inner) {
  parallel_for(outer, n * inner * 4, [&](std::int64_t o0, std::int64_t o1) {
    T s[kColumns];
    for (std::int64_t o = o0; o < o1; ++o) {
      const std::int64_t base = o * n * inner;
      for_column_blocks(inner, [&](std::int64_t j0, std::int64_t cols) {
        for (std::int64_t c = 0; c < cols; ++c) s[c] = 0;
        for (std::int64_t i = 0; i < n; ++i) {
          const std::int64_t r = base + i * inner + j0;
          for (std::int64_t c = 0; c < cols; ++c) {
            if constexpr (kLog) {
              s[c] += dy[r + c];
            } else {
              s[c] += dy[r + c] * y[r + c];
            }
          }
        }
        for (std::int64_t i = 0; i < n; ++i) {
          const std::int64_t r = base + i * inner + j0;
          for (std::int64_t c = 0; c < cols; ++c) {
            if constexpr (kLog) {
              dx[r + c] = dy[r + c] - exp_fast(y[r + c]) * s[c];
            } else {
              dx[r + c] = y[r + c] * (dy[r + c] - s[c]);
            }
          }
        }
      });
    }
  });
}

}  // namespace

template <class T>
void softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner) {
  softmax_impl<T, false>(x, y, outer, n, inner);
}
template <class T>
void log_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner) {
  softmax_impl<T, true>(x, y, outer, n, inner);
}
template <class T>
void softmax_backward(const T* y, const T* dy, T* dx, std::int64_t outer, std::int64_t n,
                      std::int64_t inner) {
  softmax_backward_impl<T, false>(y, dy, dx, outer, n, inner);
}
template <class T>
void log_softmax_backward(const T* y, const T* dy, T* dx, std::int64_t outer, std::int64_t n,
                          std::int64_t inner) {
  softmax_backward_impl<T, true>(y, dy, dx, outer, n, inner);
}

template <class T>
void reference_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner) {
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j = 0; j < inner; ++j) {
      auto at = [&](std::int64_t i) { return o * n * inner + i * inner + j; };
      double m = -INFINITY, s = 0;
      for (std::int64_t i = 0; i < n; ++i) m = std::fmax(m, x[at(i)]);
      for (std::int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[at(i)]) - m);
      for (std::int64_t i = 0; i < n; ++i) {
        y[at(i)] = static_cast<T>(std::exp(static_cast<double>(x[at(i)]) - m) / s);
      }
    }
  }
}

template <class T>
void reference_log_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n,
                           std::int64_t inner) {
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j = 0; j < inner; ++j) {
      auto at = [&](std::int64_t i) { return o * n * inner + i * inner + j; };
      double m = -INFINITY, s = 0;
      for (std::int64_t i = 0; i < n; ++i) m = std::fmax(m, x[at(i)]);
      for (std::int64_t i = 0; i < n; ++i) s += std::exp(static_cast<double>(x[at(i)]) - m);
      for (std::int64_t i = 0; i < n; ++i) {
        y[at(i)] = static_cast<T>(static_cast<double>(x[at(i)]) - m - std::log(s));
      }
    }
  }
}

#define KERASCPP_SOFTMAX(T)                                                                    \
  template void softmax<T>(const T*, T*, std::int64_t, std::int64_t, std::int64_t);            \
  template void log_softmax<T>(const T*, T*, std::int64_t, std::int64_t, std::int64_t);        \
  template void softmax_backward<T>(const T*, const T*, T*, std::int64_t, std::int64_t,        \
                                    std::int64_t);                                             \
  template void log_softmax_backward<T>(const T*, const T*, T*, std::int64_t, std::int64_t,    \
                                        std::int64_t);                                         \
  template void reference_softmax<T>(const T*, T*, std::int64_t, std::int64_t, std::int64_t);  \
  template void reference_log_softmax<T>(const T*, T*, std::int64_t, std::int64_t,             \
                                         std::int64_t);
KERASCPP_SOFTMAX(float)
KERASCPP_SOFTMAX(double)
#undef KERASCPP_SOFTMAX

}  // namespace keras::backend::cpu
