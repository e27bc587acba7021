#pragma once
// Working memory for a layer call on the training hot path (the lists of
// tensors and masks a wrapper hands to the layers it wraps). A lease takes
// an object from a per-thread free list and gives it back emptied, capacity
// kept, so a warm step reuses what the previous step grew and makes no
// operator new. Per thread and per lease, not per layer: two threads can run
// the same layer, and a layer may run inside itself (a nested model).
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

inline void empty_scratch(std::vector<Tensor>& v) { v.clear(); }
inline void empty_scratch(std::vector<std::optional<Tensor>>& v) { v.clear(); }
inline void empty_scratch(CallContext& ctx) {
  ctx.training = false;
  ctx.masks.clear();
}

template <class T>
class Scratch {
 public:
  Scratch() {
    auto& free = spares();
    if (free.empty()) {
      item_ = std::make_unique<T>();
      // Room for every object this thread has made, so that giving one back
      // (in a destructor) never needs to grow the list.
      free.reserve(++made());
    } else {
      item_ = std::move(free.back());
      free.pop_back();
    }
  }
  ~Scratch() {
    empty_scratch(*item_);
    spares().push_back(std::move(item_));  // within the capacity reserved
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  T& operator*() { return *item_; }
  T* operator->() { return item_.get(); }

 private:
  static std::vector<std::unique_ptr<T>>& spares() {
    thread_local std::vector<std::unique_ptr<T>> free;
    return free;
  }
  static std::size_t& made() {
    thread_local std::size_t count = 0;
    return count;
  }
  std::unique_ptr<T> item_;
};

using TensorScratch = Scratch<std::vector<Tensor>>;
using ContextScratch = Scratch<CallContext>;

}  // namespace keras::layers
