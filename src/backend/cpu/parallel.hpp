#pragma once
// The one thread pool is OpenMP's. Small tensors run on the calling thread:
// waking a second thread costs microseconds, more than a batch-1 layer takes.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <exception>

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

// Runs first() and second(), two independent tasks of about `work` units
// each, at the same time on two threads when there are two and the work pays
// for waking one; else one after the other on the calling thread. Inside
// the pair omp_in_parallel() is true, so each task's parallel_for and BLAS
// calls stay on its own thread: for tasks made of many small GEMMs (the two
// directions of a bidirectional RNN) this beats splitting every GEMM. An
// exception thrown by either task is rethrown here, after both finished.
template <class First, class Second>
void parallel_pair(std::int64_t work, First&& first, Second&& second) {
  if (max_threads() < 2 || work < kParallelWork || omp_in_parallel()) {
    first();
    second();
    return;
  }
  std::exception_ptr errors[2];
#pragma omp parallel num_threads(2)
  {
    const int task = omp_get_thread_num();
    try {
      // With a team of one (the runtime may give fewer threads) that thread does both.
      if (task == 0) first();
      if (task == 1 || omp_get_num_threads() == 1) second();
    } catch (...) {
      errors[task] = std::current_exception();
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace keras::backend::cpu
