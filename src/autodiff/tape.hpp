#pragma once
// The private recording API behind keras::GradientTape. Every op that is
// differentiable calls record() after computing its outputs:
//
//   Tensor y = kernel(x);
//   if (autodiff::is_recording()) {
//     autodiff::record({x}, {y}, [x, y](const Grads& dy, const Needs& needs) {...});
//   }
//
// record() keeps the op only on the live tapes of this thread for which one of
// the inputs depends on a watched tensor, so is_recording() is the only cost an
// op pays when no tape is alive.
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "backend/small_object_pool.hpp"
#include "keras/tensor.hpp"

namespace keras::autodiff {

// The tensors of one op; their blocks come from the small-object pool, so a
// warm training step records ops without operator new.
using TensorList = std::vector<Tensor, backend::PoolAllocator<Tensor>>;
using Grads = TensorList;
using Needs = std::vector<bool, backend::PoolAllocator<bool>>;

// Given the gradient of the target with respect to each output (all defined;
// zeros for outputs the target does not depend on) and which inputs need a
// gradient, returns one gradient per input. Entries for inputs that need none,
// or that are not differentiable (integer indices), may be undefined. A
// gradient may have the broadcast shape of the op: the tape sums it down to
// the input's shape. As std::function, but the callable (with what it
// captured) lives in one pooled block, and copies share it.
class BackwardFn {
 public:
  BackwardFn() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, BackwardFn>>>
  BackwardFn(F&& f)  // NOLINT: implicit, as std::function's
      : impl_(std::allocate_shared<Holder<std::decay_t<F>>>(
            backend::PoolAllocator<Holder<std::decay_t<F>>>(), std::forward<F>(f))) {}

  Grads operator()(const Grads& output_grads, const Needs& needs) const {
    return impl_->call(output_grads, needs);
  }
  explicit operator bool() const { return impl_ != nullptr; }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual Grads call(const Grads& output_grads, const Needs& needs) = 0;
  };
  template <class F>
  struct Holder final : Base {
    template <class G>
    explicit Holder(G&& g) : f(std::forward<G>(g)) {}
    Grads call(const Grads& output_grads, const Needs& needs) override {
      return f(output_grads, needs);
    }
    F f;
  };
  std::shared_ptr<Base> impl_;
};

namespace detail {
// Number of tapes recording on this thread.
extern constinit thread_local int recording_tapes;
}  // namespace detail

inline bool is_recording() noexcept { return detail::recording_tapes > 0; }

// Records an op on every recording tape where an input depends on a watched
// tensor. Outputs that are one of the inputs (an op returning its argument)
// are not recorded.
void record(TensorList inputs, TensorList outputs, BackwardFn backward);

// How many ops the innermost recording tape of this thread holds (0 without
// one); for tests that check what gets recorded.
std::size_t recorded_op_count() noexcept;

// Stops recording on this thread while alive (used while gradients are
// computed, so the backward ops are not recorded themselves).
class PauseRecording {
 public:
  PauseRecording() noexcept : saved_(detail::recording_tapes) { detail::recording_tapes = 0; }
  ~PauseRecording() { detail::recording_tapes = saved_; }
  PauseRecording(const PauseRecording&) = delete;
  PauseRecording& operator=(const PauseRecording&) = delete;

 private:
  int saved_;
};

}  // namespace keras::autodiff
