#pragma once
// Keras activations by name ("relu", "softmax", "gelu", ...), as
// keras.activations.get: each maps a tensor to a tensor with keras::ops.
#include <functional>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::activations {

using ActivationFn = std::function<Tensor(const Tensor&)>;

// Throws keras::Error listing the known names when name is unknown.
// An empty name or "linear" is the identity.
ActivationFn get(const std::string& name);
// The canonical Keras name for an alias ("swish" -> "silu"), as serialised.
std::string canonical_name(const std::string& name);
std::vector<std::string> names();

}  // namespace keras::activations
