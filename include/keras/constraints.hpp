#pragma once
// Weight constraints with Keras 3's names, defaults and formulas
// (keras/src/constraints/constraints.py). The trainer applies a weight's
// constraint right after each optimizer step (w = constraint(w)), as Keras'
// optimizer does. Norms are taken over `axis` (for a Dense kernel of shape
// (input_dim, units), axis 0 constrains each unit's incoming weights):
//   MaxNorm(max_value = 2, axis = 0):  w * clip(n, 0, max) / (1e-7 + n)
//   NonNeg():                          max(w, 0)
//   UnitNorm(axis = 0):                w / (1e-7 + n)
//   MinMaxNorm(min_value = 0, max_value = 1, rate = 1, axis = 0):
//       w * (rate * clip(n, min, max) + (1 - rate) * n) / (1e-7 + n)
// with n = sqrt(sum(w^2 over axis)). `.kernel_constraint = "max_norm"` takes a
// name ("max_norm", "non_neg", "unit_norm", "min_max_norm" or the class
// names); a default-constructed Constraint is Keras' None.
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::constraints {

// One axis or several, as Keras' `axis` argument (an int or a list of ints).
struct Axes {
  std::vector<int> axes;
  Axes(int axis) : axes{axis} {}                          // NOLINT: implicit
  Axes(std::initializer_list<int> list) : axes(list) {}   // NOLINT: implicit
  Axes(std::vector<int> list) : axes(std::move(list)) {}  // NOLINT: implicit
};

class Constraint {
 public:
  using Fn = std::function<Tensor(const Tensor&)>;
  Constraint() = default;  // none (Keras' None)
  Constraint(std::string class_name, std::map<std::string, double> config, std::vector<int> axes,
             Fn fn);
  // By Keras name with default arguments: Constraint("non_neg").
  Constraint(const char* name);         // NOLINT: implicit, as Keras accepts a string
  Constraint(const std::string& name);  // NOLINT

  bool defined() const { return fn_ != nullptr; }
  explicit operator bool() const { return defined(); }
  // The projected weight value (a new tensor of w's shape and dtype).
  Tensor operator()(const Tensor& w) const;
  const std::string& class_name() const { return class_name_; }
  const std::map<std::string, double>& config() const { return config_; }
  // The axes the norm is taken over (empty for NonNeg).
  const std::vector<int>& axes() const { return axes_; }

 private:
  std::string class_name_;
  std::map<std::string, double> config_;
  std::vector<int> axes_;
  Fn fn_;
};

// Throws keras::Error listing the known names when name is unknown.
Constraint get(const std::string& name);

Constraint MaxNorm(double max_value = 2.0, Axes axis = 0);
Constraint NonNeg();
Constraint UnitNorm(Axes axis = 0);
Constraint MinMaxNorm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0,
                      Axes axis = 0);

// Keras' lower-case aliases (keras.constraints.max_norm, ...).
inline Constraint max_norm(double max_value = 2.0, Axes axis = 0) {
  return MaxNorm(max_value, std::move(axis));
}
inline Constraint non_neg() { return NonNeg(); }
inline Constraint unit_norm(Axes axis = 0) { return UnitNorm(std::move(axis)); }
inline Constraint min_max_norm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0,
                               Axes axis = 0) {
  return MinMaxNorm(min_value, max_value, rate, std::move(axis));
}

}  // namespace keras::constraints
