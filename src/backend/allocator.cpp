#include "backend/allocator.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace keras::backend {

namespace {

constexpr std::size_t kAlignment = 64;
// Blocks held for reuse are capped so a program that changes shapes a lot
// does not keep every size it ever used.
constexpr std::size_t kMaxCachedBytes = std::size_t{1} << 30;

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every block goes back to the system, so a use after
// free is caught instead of hidden by the cache.
constexpr bool kCaching = false;
#else
constexpr bool kCaching = true;
#endif

std::size_t rounded(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

struct Pool {
  std::mutex mutex;
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  AllocatorStats stats;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: tensors may outlive static destructors
  return *p;
}

}  // namespace

void* allocate(std::size_t bytes) {
  const std::size_t size = rounded(bytes);
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (kCaching) {
      auto it = p.free_blocks.find(size);
      if (it != p.free_blocks.end() && !it->second.empty()) {
        void* ptr = it->second.back();
        it->second.pop_back();
        p.stats.cached_bytes -= size;
        return ptr;
      }
    }
    p.stats.system_allocations += 1;
    p.stats.system_bytes += size;
  }
  void* ptr = std::aligned_alloc(kAlignment, size);
  if (ptr == nullptr) throw std::bad_alloc();
  return ptr;
}

void deallocate(void* ptr, std::size_t bytes) {
  if (ptr == nullptr) return;
  const std::size_t size = rounded(bytes);
  Pool& p = pool();
  if (kCaching) {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (p.stats.cached_bytes + size <= kMaxCachedBytes) {
      p.free_blocks[size].push_back(ptr);
      p.stats.cached_bytes += size;
      return;
    }
  }
  std::free(ptr);
}

AllocatorStats allocator_stats() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.stats;
}

void release_cached_memory() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  for (auto& [size, blocks] : p.free_blocks) {
    for (void* ptr : blocks) std::free(ptr);
    blocks.clear();
  }
  p.stats.cached_bytes = 0;
}

}  // namespace keras::backend
