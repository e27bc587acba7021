#pragma once
// The one thread pool is OpenMP's. Small tensors run on the calling thread:
// waking a second thread costs microseconds, more than a batch-1 layer takes.
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace keras::backend::cpu {

// Work units (about one cheap element operation each) below which a kernel
// stays on one thread.
inline constexpr std::int64_t kParallelWork = std::int64_t{1} << 16;

inline int max_threads() { return omp_get_max_threads(); }

// Calls body(begin, end) over [0, n), split across the OpenMP threads when
// n * cost (cost = work units per item) is large enough to pay for them.
template <class Body>
void parallel_for(std::int64_t n, std::int64_t cost, Body&& body) {
  if (n <= 0) return;
  const int threads = max_threads();
  if (threads <= 1 || n < 2 || n * cost < kParallelWork || omp_in_parallel()) {
    body(std::int64_t{0}, n);
    return;
  }
  const std::int64_t useful = std::min<std::int64_t>(threads, n);
#pragma omp parallel num_threads(static_cast<int>(useful))
  {
    const std::int64_t t = omp_get_thread_num();
    const std::int64_t parts = omp_get_num_threads();
    const std::int64_t begin = n * t / parts;
    const std::int64_t end = n * (t + 1) / parts;
    if (begin < end) body(begin, end);
  }
}

}  // namespace keras::backend::cpu
