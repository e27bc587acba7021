#pragma once
// Small fixed-size objects (a tensor's handle and its storage record, with
// their shared_ptr control blocks) come from here: per-thread free lists by
// size class, so a warm predict or training step that creates and drops
// tensors does not call operator new or malloc for them.
#include <cstddef>
#include <new>

namespace keras::backend {

// Blocks of up to kSmallObjectMax bytes come from the free lists; larger ones
// from operator new. 1 KiB covers the largest recorded backward functions (a
// Bidirectional LSTM's pair of calls with their tapes' handles).
inline constexpr std::size_t kSmallObjectMax = 1024;

void* allocate_small(std::size_t bytes);
void deallocate_small(void* ptr, std::size_t bytes) noexcept;

// A standard allocator over the pool, for std::allocate_shared.
template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_small(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_small(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace keras::backend
