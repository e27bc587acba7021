#pragma once
// Tensor storage comes from here: 64-byte aligned blocks, cached by size after
// they are freed, so a warm predict or training step that needs the same
// shapes again gets its memory back without asking the system.
#include <cstddef>
#include <cstdint>

namespace keras::backend {

void* allocate(std::size_t bytes);
void deallocate(void* ptr, std::size_t bytes);

struct AllocatorStats {
  std::uint64_t system_allocations = 0;  // blocks obtained from the system so far
  std::uint64_t system_bytes = 0;        // bytes obtained from the system so far
  std::uint64_t cached_bytes = 0;        // bytes held for reuse now
};
AllocatorStats allocator_stats();
// Returns every cached block to the system.
void release_cached_memory();

}  // namespace keras::backend
