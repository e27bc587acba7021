// keras.activations: names to functions, with keras.activations' defaults
// (which differ from keras.ops' in places: activations.gelu is exact).
#include "keras/activations.hpp"

#include <algorithm>
#include <map>

#include "keras/ops.hpp"

namespace keras::activations {

namespace {

const std::map<std::string, ActivationFn>& registry() {
  static const std::map<std::string, ActivationFn> fns = {
      {"linear", [](const Tensor& x) { return x; }},
      {"relu", [](const Tensor& x) { return ops::relu(x); }},
      {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x, 0.2); }},
      {"relu6", [](const Tensor& x) { return ops::relu6(x); }},
      {"softmax", [](const Tensor& x) { return ops::softmax(x, -1); }},
      {"celu", [](const Tensor& x) { return ops::celu(x, 1.0); }},
      {"elu", [](const Tensor& x) { return ops::elu(x, 1.0); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
      {"softsign", [](const Tensor& x) { return ops::softsign(x); }},
      {"squareplus", [](const Tensor& x) { return ops::squareplus(x, 4.0); }},
      {"soft_shrink", [](const Tensor& x) { return ops::soft_shrink(x, 0.5); }},
      {"sparse_plus", [](const Tensor& x) { return ops::sparse_plus(x); }},
      {"silu", [](const Tensor& x) { return ops::silu(x); }},
      {"gelu", [](const Tensor& x) { return ops::gelu(x, /*approximate=*/false); }},
      {"glu", [](const Tensor& x) { return ops::glu(x, -1); }},
      {"tanh", [](const Tensor& x) { return ops::tanh(x); }},
      {"tanh_shrink", [](const Tensor& x) { return ops::tanh_shrink(x); }},
      {"threshold",
       [](const Tensor&) -> Tensor {
         // keras.activations.threshold has required arguments, so Keras
         // fails the same way when it is used by name.
         throw Error("The \"threshold\" activation needs its threshold and default_value "
                     "arguments, so it cannot be used by name; call "
                     "keras::ops::threshold(x, threshold, default_value) instead.");
       }},
      {"sigmoid", [](const Tensor& x) { return ops::sigmoid(x); }},
      {"sparse_sigmoid", [](const Tensor& x) { return ops::sparse_sigmoid(x); }},
      {"exponential", [](const Tensor& x) { return ops::exp(x); }},
      {"hard_sigmoid", [](const Tensor& x) { return ops::hard_sigmoid(x); }},
      {"hard_silu", [](const Tensor& x) { return ops::hard_silu(x); }},
      {"hard_tanh", [](const Tensor& x) { return ops::hard_tanh(x); }},
      {"hard_shrink", [](const Tensor& x) { return ops::hard_shrink(x, 0.5); }},
      {"mish", [](const Tensor& x) { return ops::mish(x); }},
      {"log_softmax", [](const Tensor& x) { return ops::log_softmax(x, -1); }},
      {"log_sigmoid", [](const Tensor& x) { return ops::log_sigmoid(x); }},
      {"sparsemax", [](const Tensor& x) { return ops::sparsemax(x, -1); }},
  };
  return fns;
}

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> a = {
      {"", "linear"}, {"swish", "silu"}, {"hard_swish", "hard_silu"}};
  return a;
}

std::string known_names() {
  std::string out;
  for (const std::string& n : names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::string canonical_name(const std::string& name) {
  auto alias = aliases().find(name);
  const std::string canonical = alias != aliases().end() ? alias->second : name;
  if (registry().count(canonical) == 0) {
    throw Error("Unknown activation function \"" + name + "\". Known activations: " +
                known_names() + ".");
  }
  return canonical;
}

ActivationFn get(const std::string& name) { return registry().at(canonical_name(name)); }

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : registry()) out.push_back(name);
  for (const auto& [alias, target] : aliases()) {
    if (!alias.empty()) out.push_back(alias);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Tensor relu(const Tensor& x0, double negative_slope, std::optional<double> max_value,
            double threshold) {
  // The same steps as Keras' ReLU.static_call, so edge cases agree.
  Tensor x = x0;
  Tensor negative_part;
  if (negative_slope != 0.0) {
    if (!max_value && threshold == 0.0) return ops::leaky_relu(x, negative_slope);
    negative_part = threshold != 0.0 ? ops::relu(ops::add(ops::negative(x), threshold))
                                     : ops::relu(ops::negative(x));
  }
  bool clip_max = max_value.has_value();
  if (threshold != 0.0) {
    x = ops::where(ops::greater(x, Tensor::scalar(threshold, x.dtype())), x,
                   Tensor::scalar(0.0, x.dtype()));
  } else if (max_value && *max_value == 6.0) {
    x = ops::relu6(x);
    clip_max = false;
  } else {
    x = ops::relu(x);
  }
  if (clip_max) x = ops::clip(x, 0.0, *max_value);
  if (negative_slope != 0.0) x = ops::subtract(x, ops::multiply(negative_part, negative_slope));
  return x;
}

}  // namespace keras::activations
