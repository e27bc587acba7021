#pragma once
// Helpers the convolution kernels share (conv.cpp, conv_depthwise.cpp).
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "backend/cpu/conv.hpp"
#include "backend/cpu/parallel.hpp"
#include "backend/cpu/thread_buffer.hpp"

namespace keras::backend::cpu::conv_detail {

// Runs body(thread, first_image, end_image) over the images, one contiguous
// range per thread; returns how many threads ran (ranges are numbered from 0).
// Small problems and calls from inside a parallel region run on one thread.
template <class Body>
inline int for_image_ranges(std::int64_t batch, std::int64_t work_per_image, Body&& body) {
  int threads = max_threads();
  if (omp_in_parallel() || batch * work_per_image < kParallelWork) threads = 1;
  threads = static_cast<int>(std::min<std::int64_t>(threads, batch));
  if (threads <= 1) {
    body(0, std::int64_t{0}, batch);
    return 1;
  }
  int team = 1;
#pragma omp parallel num_threads(threads)
  {
    const std::int64_t t = omp_get_thread_num();
    const std::int64_t parts = omp_get_num_threads();
    if (t == 0) team = static_cast<int>(parts);
    const std::int64_t begin = batch * t / parts;
    const std::int64_t end = batch * (t + 1) / parts;
    if (begin < end) body(static_cast<int>(t), begin, end);
  }
  return team;
}

// y[r][c] = relu?(y[r][c] + bias[c]) for output rows [r0, r1).
template <class T>
void apply_epilogue(const ConvShape& s, T* y, std::int64_t r0, std::int64_t r1, const T* bias,
                    bool relu) {
  if (bias == nullptr && !relu) return;
  const std::int64_t c_n = s.out_c;
  for (std::int64_t r = r0; r < r1; ++r) {
    T* row = y + r * c_n;
    if (bias != nullptr) {
#pragma omp simd
      for (std::int64_t c = 0; c < c_n; ++c) row[c] += bias[c];
    }
    if (relu) {
#pragma omp simd
      for (std::int64_t c = 0; c < c_n; ++c) row[c] = row[c] > T(0) ? row[c] : T(0);
    }
  }
}

}  // namespace keras::backend::cpu::conv_detail
