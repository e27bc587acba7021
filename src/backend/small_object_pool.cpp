#include "backend/small_object_pool.hpp"

#include <cstdlib>

namespace keras::backend {

namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kClasses = kSmallObjectMax / kGranule;
// A thread keeps at most this many free blocks per class; the rest go back
// to malloc, so a burst of tensors does not pin memory forever.
constexpr std::size_t kMaxFreePerClass = 4096;
// Blocks above 256 bytes are rarer (backward functions): fewer are kept.
constexpr std::size_t kMaxFreePerLargeClass = 512;
constexpr std::size_t kLargeBlock = 256;

std::size_t max_free(std::size_t size_class) {
  return (size_class + 1) * kGranule > kLargeBlock ? kMaxFreePerLargeClass : kMaxFreePerClass;
}

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every block goes back to malloc, so a use after
// free is caught instead of hidden by the free list.
constexpr bool kPooling = false;
#else
constexpr bool kPooling = true;
#endif

struct FreeBlock {
  FreeBlock* next;
};

// A block may be freed on another thread than the one that made it; it then
// joins that thread's list, which is harmless: all blocks come from malloc.
enum class ListsState : unsigned char { unborn, alive, dead };
thread_local ListsState t_state = ListsState::unborn;

struct FreeLists {
  FreeBlock* head[kClasses] = {};
  std::size_t count[kClasses] = {};
  FreeLists() { t_state = ListsState::alive; }
  ~FreeLists() {
    // Tensors freed by later destructors of this thread go straight to free().
    t_state = ListsState::dead;
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (head[c] != nullptr) {
        FreeBlock* b = head[c];
        head[c] = b->next;
        std::free(b);
      }
    }
  }
};

thread_local FreeLists t_lists;

std::size_t size_class(std::size_t bytes) { return (bytes + kGranule - 1) / kGranule - 1; }

void* malloc_or_throw(std::size_t size_class) {
  void* p = std::malloc((size_class + 1) * kGranule);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* allocate_small(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (!kPooling || bytes > kSmallObjectMax) return ::operator new(bytes);
  const std::size_t c = size_class(bytes);
  if (t_state == ListsState::dead) return malloc_or_throw(c);
  if (FreeBlock* b = t_lists.head[c]) {
    t_lists.head[c] = b->next;
    t_lists.count[c] -= 1;
    return b;
  }
  return malloc_or_throw(c);
}

void deallocate_small(void* ptr, std::size_t bytes) noexcept {
  if (ptr == nullptr) return;
  if (bytes == 0) bytes = 1;
  if (!kPooling || bytes > kSmallObjectMax) {
    ::operator delete(ptr);
    return;
  }
  const std::size_t c = size_class(bytes);
  if (t_state != ListsState::alive || t_lists.count[c] >= max_free(c)) {
    std::free(ptr);
    return;
  }
  auto* b = static_cast<FreeBlock*>(ptr);
  b->next = t_lists.head[c];
  t_lists.head[c] = b;
  t_lists.count[c] += 1;
}

}  // namespace keras::backend
