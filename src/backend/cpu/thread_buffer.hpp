#pragma once
// Scratch memory of the calling thread: one buffer per (T, Tag), 64-byte
// aligned (for aligned AVX-512 loads and stores), grown to the largest size
// asked for and kept between calls, so that a warm kernel needing the same
// sizes again allocates nothing. Distinct tags keep buffers that are alive at
// the same time apart (a convolution's im2col columns and the GEMM's packed
// panels it then multiplies).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace keras::backend::cpu {

template <class T, class Tag = void>
T* thread_buffer(std::int64_t count) {
  struct Free {
    void operator()(T* p) const noexcept { std::free(p); }
  };
  thread_local std::unique_ptr<T, Free> data;
  thread_local std::int64_t capacity = 0;
  if (count > capacity) {
    const std::size_t bytes = (static_cast<std::size_t>(count) * sizeof(T) + 63) / 64 * 64;
    auto* p = static_cast<T*>(std::aligned_alloc(64, bytes));
    if (p == nullptr) throw std::bad_alloc();
    data.reset(p);
    capacity = count;
  }
  return data.get();
}

}  // namespace keras::backend::cpu
