#pragma once
// Keras activations by name ("relu", "softmax", "gelu", ...), as
// keras.activations.get: each maps a tensor to a tensor with keras::ops.
#include <functional>
#include <optional>
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

// keras.activations.relu with its options (what the ReLU layer computes):
// values below threshold become negative_slope * (x - threshold), values
// are capped at max_value when one is given.
Tensor relu(const Tensor& x, double negative_slope = 0.0,
            std::optional<double> max_value = std::nullopt, double threshold = 0.0);

}  // namespace keras::activations
