#pragma once
// keras::GradientTape: reverse-mode automatic differentiation, as
// tf.GradientTape. While a tape is alive on this thread it records every
// keras::ops call whose inputs depend on a watched tensor or variable;
// gradient() walks the records backwards. Without a live tape nothing is
// recorded, so inference pays nothing for training.
#include <cstddef>
#include <memory>
#include <vector>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras {

namespace detail {
struct TapeState;
}

class GradientTape {
 public:
  GradientTape();
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  void watch(const Tensor& tensor);
  void watch(const Variable& variable);
  // Gradients of target (summed over its elements if it is not a scalar) with
  // respect to each source; a source the target does not depend on, or that
  // was not watched (as in TensorFlow), gets zeros. Gradients are not
  // recorded themselves (no higher-order derivatives).
  // A tape can compute gradients once; recording stops when it is called.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources);
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Variable>& sources);
  // The same, written into out (resized to sources.size()), so that a loop
  // that keeps out between steps allocates nothing for the result.
  void gradient(const Tensor& target, const std::vector<Variable>& sources,
                std::vector<Tensor>& out);

 private:
  void gradient_into(const Tensor& target, const Tensor* sources, std::size_t count,
                     std::vector<Tensor>& out);
  std::unique_ptr<detail::TapeState> state_;
};

}  // namespace keras
