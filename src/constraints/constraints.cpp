// The constraints of keras/src/constraints/constraints.py, with Keras'
// formulas and its epsilon (1e-7), computed with keras::ops.
#include "keras/constraints.hpp"

#include <vector>

#include "keras/ops.hpp"

namespace keras::constraints {

Constraint::Constraint(std::string class_name, std::map<std::string, double> config,
                       std::vector<int> axes, Fn fn)
    : class_name_(std::move(class_name)),
      config_(std::move(config)),
      axes_(std::move(axes)),
      fn_(std::move(fn)) {}

Constraint::Constraint(const char* name) : Constraint(get(name)) {}

Constraint::Constraint(const std::string& name) : Constraint(get(name)) {}

Tensor Constraint::operator()(const Tensor& w) const {
  if (!fn_) throw Error("Cannot call an undefined constraint (Keras' None).");
  if (!is_floating(w.dtype())) {
    throw Error(class_name_ + " constraint needs a float tensor, got " +
                std::string(dtype_name(w.dtype())) + ".");
  }
  for (int axis : axes_) {
    if (axis < -w.rank() || axis >= w.rank()) {
      throw Error(class_name_ + " constraint takes norms over axis " + std::to_string(axis) +
                  ", which a weight of shape " + w.shape().to_string() + " does not have.");
    }
  }
  return fn_(w);
}

namespace {

constexpr double kEpsilon = 1e-7;  // keras.backend.epsilon()

// sqrt(sum(w^2 over axes)), keeping the reduced axes.
Tensor norms(const Tensor& w, const std::vector<int>& axes) {
  return ops::sqrt(ops::sum(ops::square(w), axes, true));
}

// w * (desired / (epsilon + n)), Keras' rescaling towards the desired norms.
Tensor rescaled(const Tensor& w, const Tensor& desired, const Tensor& n) {
  return ops::multiply(w, ops::divide(desired, ops::add(n, kEpsilon)));
}

struct Entry {
  const char* class_name;
  const char* snake_name;
  Constraint (*make)();
};

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"MaxNorm", "max_norm", [] { return MaxNorm(); }},
      {"MinMaxNorm", "min_max_norm", [] { return MinMaxNorm(); }},
      {"NonNeg", "non_neg", [] { return NonNeg(); }},
      {"UnitNorm", "unit_norm", [] { return UnitNorm(); }},
  };
  return entries;
}

}  // namespace

Constraint get(const std::string& name) {
  for (const auto& e : registry()) {
    if (name == e.class_name || name == e.snake_name) return e.make();
  }
  std::string known;
  for (const auto& e : registry()) {
    known += (known.empty() ? "" : ", ") + std::string("\"") + e.snake_name + "\"";
  }
  throw Error("Could not interpret constraint identifier: \"" + name + "\". Known: " + known +
              " (or the class names).");
}

Constraint MaxNorm(double max_value, Axes axis) {
  std::vector<int> axes = std::move(axis.axes);
  return Constraint("MaxNorm", {{"max_value", max_value}}, axes,
                    [max_value, axes](const Tensor& w) {
                      const Tensor n = norms(w, axes);
                      return rescaled(w, ops::clip(n, 0.0, max_value), n);
                    });
}

Constraint NonNeg() {
  return Constraint("NonNeg", {}, {}, [](const Tensor& w) { return ops::maximum(w, 0.0); });
}

Constraint UnitNorm(Axes axis) {
  std::vector<int> axes = std::move(axis.axes);
  return Constraint("UnitNorm", {}, axes, [axes](const Tensor& w) {
    return ops::divide(w, ops::add(norms(w, axes), kEpsilon));
  });
}

Constraint MinMaxNorm(double min_value, double max_value, double rate, Axes axis) {
  std::vector<int> axes = std::move(axis.axes);
  return Constraint(
      "MinMaxNorm", {{"min_value", min_value}, {"max_value", max_value}, {"rate", rate}}, axes,
      [min_value, max_value, rate, axes](const Tensor& w) {
        const Tensor n = norms(w, axes);
        const Tensor desired = ops::add(ops::multiply(ops::clip(n, min_value, max_value), rate),
                                        ops::multiply(n, 1.0 - rate));
        return rescaled(w, desired, n);
      });
}

}  // namespace keras::constraints
