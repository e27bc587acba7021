#pragma once
// A hash table keyed by tensor ids (the address of a tensor's handle) for the
// gradient tape: open addressing with linear probing, and clear() keeps the
// slots, so a tape reused step after step stops allocating once it has seen
// the largest graph. std::unordered_map allocates a node per insert.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace keras::autodiff {

template <class Value>
class PointerTable {
 public:
  // The value kept for key, default-constructed when key is new.
  Value& operator[](const void* key) { return slots_[insert_slot(key)].value; }

  // The value kept for key, or nullptr.
  Value* find(const void* key) {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == nullptr) return nullptr;
    }
  }
  bool contains(const void* key) { return find(key) != nullptr; }
  // Adds key (with a default value); returns whether it was new.
  bool insert(const void* key) {
    const std::size_t before = size_;
    insert_slot(key);
    return size_ != before;
  }

  std::size_t size() const { return size_; }
  void clear() {
    if (size_ == 0) return;
    for (Slot& s : slots_) s = Slot{};
    size_ = 0;
  }

 private:
  struct Slot {
    const void* key = nullptr;
    Value value{};
  };

  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(const void* key) const {
    // Handles are 16-byte aligned pool blocks: drop the low bits, then mix.
    auto h = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(key) >> 4);
    h *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(h >> 20) & mask();
  }

  std::size_t insert_slot(const void* key) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return i;
      if (slots_[i].key == nullptr) {
        slots_[i].key = key;
        ++size_;
        return i;
      }
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{});
    size_ = 0;
    for (Slot& s : old) {
      if (s.key != nullptr) slots_[insert_slot(s.key)].value = std::move(s.value);
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace keras::autodiff
