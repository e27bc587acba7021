#pragma once
// Reductions (sum, max, min) over any set of axes. Neighbouring axes that are
// both reduced or both kept are merged first, so the common cases become a
// row reduction (last axis: a vectorised horizontal loop) or a column
// reduction (leading axis: vectorised adds of whole rows).
#include <cstdint>
#include <limits>

#include "backend/cpu/parallel.hpp"
#include "keras/shape.hpp"

namespace keras::backend::cpu {

struct ReducePlan {
  int rank = 0;
  std::int64_t dims[Shape::kMaxRank] = {};
  bool reduced[Shape::kMaxRank] = {};
  std::int64_t out_strides[Shape::kMaxRank] = {};  // 0 for reduced dimensions
  std::int64_t in_size = 1;
  std::int64_t out_size = 1;
};

// reduced_axes: bit i set when axis i of `in` is reduced.
inline ReducePlan plan_reduce(const Shape& in, unsigned reduced_axes) {
  ReducePlan plan;
  int r = 0;
  for (int i = 0; i < in.rank(); ++i) {
    const bool red = (reduced_axes >> i) & 1u;
    plan.in_size *= in[i];
    if (!red) plan.out_size *= in[i];
    if (in[i] == 1) continue;
    if (r > 0 && plan.reduced[r - 1] == red) {
      plan.dims[r - 1] *= in[i];
    } else {
      plan.dims[r] = in[i];
      plan.reduced[r] = red;
      ++r;
    }
  }
  if (r == 0) {
    plan.dims[0] = 1;
    plan.reduced[0] = true;
    r = 1;
  }
  plan.rank = r;
  std::int64_t stride = 1;
  for (int i = r - 1; i >= 0; --i) {
    plan.out_strides[i] = plan.reduced[i] ? 0 : stride;
    if (!plan.reduced[i]) stride *= plan.dims[i];
  }
  return plan;
}

struct SumReducer {
  template <class T>
  static T init() {
    return T(0);
  }
  template <class T>
  static T combine(T a, T b) {
    return a + b;
  }
  template <class T>
  static T row(const T* p, std::int64_t n) {
    T acc = T(0);
#pragma omp simd reduction(+ : acc)
    for (std::int64_t i = 0; i < n; ++i) acc += p[i];
    return acc;
  }
};

struct MaxReducer {
  template <class T>
  static T init() {
    return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                : std::numeric_limits<T>::lowest();
  }
  template <class T>
  static T combine(T a, T b) {
    return a > b ? a : b;
  }
  template <class T>
  static T row(const T* p, std::int64_t n) {
    T acc = init<T>();
#pragma omp simd reduction(max : acc)
    for (std::int64_t i = 0; i < n; ++i) acc = acc > p[i] ? acc : p[i];
    return acc;
  }
};

struct MinReducer {
  template <class T>
  static T init() {
    return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                : std::numeric_limits<T>::max();
  }
  template <class T>
  static T combine(T a, T b) {
    return a < b ? a : b;
  }
  template <class T>
  static T row(const T* p, std::int64_t n) {
    T acc = init<T>();
#pragma omp simd reduction(min : acc)
    for (std::int64_t i = 0; i < n; ++i) acc = acc < p[i] ? acc : p[i];
    return acc;
  }
};

// out (plan.out_size elements) = the reduction of in over the planned axes.
template <class R, class T>
void reduce(const ReducePlan& plan, const T* in, T* out) {
  for (std::int64_t i = 0; i < plan.out_size; ++i) out[i] = R::template init<T>();
  if (plan.in_size == 0) return;
  const int last = plan.rank - 1;
  const std::int64_t n = plan.dims[last];
  const std::int64_t rows = plan.in_size / n;
  if (plan.rank == 1 && plan.reduced[0]) {
    // Everything into one value: per-thread partials, then combined.
    const int threads = n >= kParallelWork ? max_threads() : 1;
    T partial[64];
    const int parts = threads < 64 ? threads : 64;
    parallel_for(parts, kParallelWork, [&](std::int64_t p0, std::int64_t p1) {
      for (std::int64_t p = p0; p < p1; ++p) {
        const std::int64_t b = n * p / parts, e = n * (p + 1) / parts;
        partial[p] = R::row(in + b, e - b);
      }
    });
    T acc = R::template init<T>();
    for (int p = 0; p < parts; ++p) acc = R::combine(acc, partial[p]);
    out[0] = acc;
    return;
  }
  if (plan.rank == 1) {  // nothing reduced
    for (std::int64_t i = 0; i < n; ++i) out[i] = in[i];
    return;
  }
  auto out_offset = [&](std::int64_t row) {
    std::int64_t off = 0;
    for (int i = last - 1; i >= 0; --i) {
      off += (row % plan.dims[i]) * plan.out_strides[i];
      row /= plan.dims[i];
    }
    return off;
  };
  if (plan.reduced[last]) {
    if (plan.rank == 2) {  // rows reduced independently, one output each
      parallel_for(rows, n, [&](std::int64_t r0, std::int64_t r1) {
        for (std::int64_t row = r0; row < r1; ++row) out[row] = R::row(in + row * n, n);
      });
      return;
    }
    for (std::int64_t row = 0; row < rows; ++row) {
      T& o = out[out_offset(row)];
      o = R::combine(o, R::row(in + row * n, n));
    }
    return;
  }
  if (plan.rank == 2) {  // (reduced, kept): columns split across threads
    parallel_for(n, rows, [&](std::int64_t c0, std::int64_t c1) {
      for (std::int64_t row = 0; row < rows; ++row) {
        const T* src = in + row * n;
        for (std::int64_t j = c0; j < c1; ++j) out[j] = R::combine(out[j], src[j]);
      }
    });
    return;
  }
  for (std::int64_t row = 0; row < rows; ++row) {
    T* dst = out + out_offset(row);
    const T* src = in + row * n;
    for (std::int64_t j = 0; j < n; ++j) dst[j] = R::combine(dst[j], src[j]);
  }
}

// The same reduction, element by element on the unmerged shape, for the tests.
template <class R, class T>
void reference_reduce(const Shape& shape, unsigned reduced_axes, const T* in, T* out) {
  std::int64_t out_size = 1;
  for (int i = 0; i < shape.rank(); ++i) {
    if (!((reduced_axes >> i) & 1u)) out_size *= shape[i];
  }
  for (std::int64_t i = 0; i < out_size; ++i) out[i] = R::template init<T>();
  const std::int64_t n = shape.num_elements();
  for (std::int64_t flat = 0; flat < n; ++flat) {
    std::int64_t rem = flat, o = 0, stride = 1;
    for (int i = shape.rank() - 1; i >= 0; --i) {
      const std::int64_t idx = rem % shape[i];
      rem /= shape[i];
      if (!((reduced_axes >> i) & 1u)) {
        o += idx * stride;
        stride *= shape[i];
      }
    }
    out[o] = R::combine(out[o], in[flat]);
  }
}

}  // namespace keras::backend::cpu
