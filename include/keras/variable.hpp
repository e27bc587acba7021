#pragma once
// keras::Variable: a named, mutable tensor owned by a layer (a weight) or an
// optimizer. Copies share the same variable. assign() writes in place, so the
// tensor returned by value() keeps its identity across optimizer steps.
#include <memory>
#include <string>

#include "keras/tensor.hpp"

namespace keras {

class Variable {
 public:
  Variable() = default;
  Variable(std::string name, Tensor value, bool trainable = true);

  bool defined() const { return state_ != nullptr; }
  const std::string& name() const;
  // "layer_name/weight_name", as Keras 3's variable.path.
  const std::string& path() const;
  void set_path(std::string path);
  const Tensor& value() const;
  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }
  bool trainable() const;
  void set_trainable(bool trainable);
  // Copies new values in; throws keras::Error naming the variable if the shape differs.
  void assign(const Tensor& value);
  const void* id() const { return state_.get(); }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace keras
