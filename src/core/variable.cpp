#include "keras/variable.hpp"

namespace keras {

struct Variable::State {
  std::string name;
  std::string path;
  Tensor value;
  bool trainable = true;
};

Variable::Variable(std::string name, Tensor value, bool trainable)
    : state_(std::make_shared<State>()) {
  state_->path = name;
  state_->name = std::move(name);
  state_->value = std::move(value);
  state_->trainable = trainable;
}

namespace {
void check_defined(const void* state) {
  if (state == nullptr) throw Error("Use of an undefined variable.");
}
}  // namespace

const std::string& Variable::name() const {
  check_defined(state_.get());
  return state_->name;
}

const std::string& Variable::path() const {
  check_defined(state_.get());
  return state_->path;
}

void Variable::set_path(std::string path) {
  check_defined(state_.get());
  state_->path = std::move(path);
}

const Tensor& Variable::value() const {
  check_defined(state_.get());
  return state_->value;
}

bool Variable::trainable() const {
  check_defined(state_.get());
  return state_->trainable;
}

void Variable::set_trainable(bool trainable) {
  check_defined(state_.get());
  state_->trainable = trainable;
}

void Variable::assign(const Tensor& value) {
  check_defined(state_.get());
  if (value.shape() != state_->value.shape()) {
    throw Error("Variable \"" + state_->path + "\" has shape " +
                state_->value.shape().to_string() + "; cannot assign a value of shape " +
                value.shape().to_string() + ".");
  }
  if (value.dtype() == state_->value.dtype()) {
    state_->value.copy_from(value);
  } else {
    state_->value.copy_from(value.astype(state_->value.dtype()));
  }
}

}  // namespace keras
