#pragma once
// Weight and activity regularizers with Keras 3's names, defaults and
// formulas (keras/src/regularizers/regularizers.py):
//   L1(l1 = 0.01):         l1 * sum(|x|)
//   L2(l2 = 0.01):         l2 * sum(x^2)
//   L1L2(l1 = 0, l2 = 0):  l1 * sum(|x|) + l2 * sum(x^2)   (Keras 3's defaults are 0,
//                          as its L1L2 class; tf.keras' l1_l2 function used 0.01)
//   OrthogonalRegularizer(factor = 0.01, mode = "rows")
// A layer option `.kernel_regularizer = "l2"` takes a name as Keras does
// ("l1", "l2", "l1l2", "L1", "L2", "L1L2", "orthogonal_regularizer",
// "OrthogonalRegularizer"); a default-constructed Regularizer is Keras' None.
// The penalty of a weight regularizer joins the model's loss in fit/evaluate;
// an activity regularizer's is divided by the batch size (Keras' Layer.__call__).
#include <functional>
#include <map>
#include <string>

#include "keras/tensor.hpp"

namespace keras::regularizers {

class Regularizer {
 public:
  using Fn = std::function<Tensor(const Tensor&)>;
  Regularizer() = default;  // none (Keras' None)
  // The Keras class name ("L2"), its config, and the penalty (a scalar tensor,
  // written with keras::ops so that gradients reach the weights).
  Regularizer(std::string class_name, std::map<std::string, double> config,
              std::map<std::string, std::string> string_config, Fn fn);
  // By Keras name with default arguments: Regularizer("l2").
  Regularizer(const char* name);         // NOLINT: implicit, as Keras accepts a string
  Regularizer(const std::string& name);  // NOLINT

  bool defined() const { return fn_ != nullptr; }
  explicit operator bool() const { return defined(); }
  // The penalty for x: a 0-d tensor of x's dtype. Throws if undefined.
  Tensor operator()(const Tensor& x) const;
  const std::string& class_name() const { return class_name_; }
  const std::map<std::string, double>& config() const { return config_; }
  const std::map<std::string, std::string>& string_config() const { return string_config_; }

 private:
  std::string class_name_;
  std::map<std::string, double> config_;
  std::map<std::string, std::string> string_config_;
  Fn fn_;
};

// Throws keras::Error listing the known names when name is unknown (Keras 3
// does not accept "l1_l2" as a string: use L1L2(l1, l2)).
Regularizer get(const std::string& name);

// Each factor must be a finite number >= 0 (Keras' validate_float_arg).
Regularizer L1(double l1 = 0.01);
Regularizer L2(double l2 = 0.01);
Regularizer L1L2(double l1 = 0.0, double l2 = 0.0);
// factor * 0.5 * sum(|P - diag(P)|) / (n (n - 1) / 2) for P the Gram matrix of
// the L2-normalised rows (mode "rows") or columns ("columns") of a rank-2 input.
Regularizer OrthogonalRegularizer(double factor = 0.01, const std::string& mode = "rows");

// Keras' lower-case aliases (keras.regularizers.l1, l2, l1_l2, orthogonal_regularizer).
inline Regularizer l1(double value = 0.01) { return L1(value); }
inline Regularizer l2(double value = 0.01) { return L2(value); }
inline Regularizer l1_l2(double l1 = 0.0, double l2 = 0.0) { return L1L2(l1, l2); }
inline Regularizer orthogonal_regularizer(double factor = 0.01, const std::string& mode = "rows") {
  return OrthogonalRegularizer(factor, mode);
}

}  // namespace keras::regularizers
